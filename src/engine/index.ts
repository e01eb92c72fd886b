// Public surface of the engine: pipeline, run store, events and the CLI.
export { buildProgram, main } from './cli';
export { type DoctorReport, formatDoctor, runDoctor } from './commands/doctor';
