export { erf, erfc, erfcx } from './erf';
export { log1mexp, logAddExp, logSumExp, softmax } from './logspace';
export { LOG_SQRT_2PI, normalCdf, normalLogCdf, normalLogPdf, normalPdf } from './normal';
