// The host tests' view of the shared event fixture.
import { fixtureEvents } from '../contract/fixture';

export { FIXTURE, sequence } from '../contract/fixture';
export const finishedRun = fixtureEvents;
