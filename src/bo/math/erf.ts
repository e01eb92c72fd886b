/**
 * erf, erfc and the scaled complementary error function erfcx(x) = e^{x²} erfc(x) in float64.
 *
 * Rational approximations of W. J. Cody, "Rational Chebyshev approximations for the error
 * function", Math. Comp. 23 (1969) 631–637 (the coefficients are those of his published
 * near-minimax fits, ~1e-16 relative error on each interval):
 *   |x| ≤ 0.5       erf(x)   = x · R₁(x²)
 *   0.5 < x ≤ 4     erfcx(x) = R₂(x)
 *   x > 4           erfcx(x) = (1/√π − R₃(1/x²)/x²) / x
 * where each Rₖ is a ratio of polynomials. Negative arguments use erfc(−x) = 2 − erfc(x).
 * e^{−x²} is evaluated as e^{−a²}·e^{−(x−a)(x+a)} with a = x rounded down to 1/16, so the
 * product keeps full relative accuracy (x² itself would lose ~|x|²·ε).
 */

const INV_SQRT_PI = 0.56418958354775628695;
const SMALL = 0.5;
const MEDIUM = 4;

// R₁ numerator (ascending powers of x², highest last) and denominator (monic leading term).
const A = [
  3.1611237438705656, 1.1386415415105016e2, 3.7748523768530202e2, 3.2093775891384695e3,
  1.8577770618460315e-1,
];
const B = [2.3601290952344121e1, 2.4402463793444417e2, 1.2826165260773723e3, 2.8442368334391706e3];
// R₂ on (0.5, 4].
const C = [
  5.6418849698867009e-1, 8.8831497943883759, 6.611919063714163e1, 2.9863513819740013e2,
  8.8195222124176909e2, 1.7120476126340706e3, 2.0510783778260715e3, 1.2303393547979973e3,
  2.1531153547440383e-8,
];
const D = [
  1.5744926110709835e1, 1.176939508913125e2, 5.3718110186200986e2, 1.6213895745666902e3,
  3.2907992357334596e3, 4.3626190901432472e3, 3.4393676741437216e3, 1.2303393548037494e3,
];
// R₃ in t = 1/x² on x > 4.
const P = [
  3.0532663496123234e-1, 3.6034489994980444e-1, 1.2578172611122925e-1, 1.6083785148742277e-2,
  6.587491615298378e-4, 1.6315387137302098e-2,
];
const Q = [
  2.5685201922898224, 1.8729528499234673, 5.2790510295142841e-1, 6.0518341312441319e-2,
  2.3352049762686918e-3,
];

/** erf(x)/x for |x| ≤ 0.5. */
function erfSmallRatio(x: number): number {
  const t = x * x;
  let num = A[4] * t;
  let den = t;
  for (let i = 0; i < 3; i++) {
    num = (num + A[i]) * t;
    den = (den + B[i]) * t;
  }
  return (num + A[3]) / (den + B[3]);
}

/** erfcx(y) for y > 0.5. */
function erfcxPositiveLarge(y: number): number {
  if (y <= MEDIUM) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]) * y;
      den = (den + D[i]) * y;
    }
    return (num + C[7]) / (den + D[7]);
  }
  // Beyond ~6.7e7, t underflows relative to 1/√π and erfcx(y) = 1/(y√π) to full precision.
  if (y > 1e8) return INV_SQRT_PI / y;
  const t = 1 / (y * y);
  let num = P[5] * t;
  let den = t;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]) * t;
    den = (den + Q[i]) * t;
  }
  const r = (t * (num + P[4])) / (den + Q[4]);
  return (INV_SQRT_PI - r) / y;
}

/** e^{−y²} with full relative accuracy (see the module comment). */
function expMinusSquare(y: number): number {
  const a = Math.trunc(y * 16) / 16;
  return Math.exp(-a * a) * Math.exp(-(y - a) * (y + a));
}

/** e^{y²} with full relative accuracy (overflows to Infinity for |y| ≳ 26.6). */
function expSquare(y: number): number {
  const a = Math.trunc(y * 16) / 16;
  return Math.exp(a * a) * Math.exp((y - a) * (y + a));
}

/** The error function erf(x). */
export function erf(x: number): number {
  const y = Math.abs(x);
  if (y <= SMALL) return x * erfSmallRatio(x);
  const r = 1 - expMinusSquare(y) * erfcxPositiveLarge(y);
  return x < 0 ? -r : r;
}

/** The complementary error function erfc(x) = 1 − erf(x), accurate in the far tail. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  if (y <= SMALL) return 1 - x * erfSmallRatio(x);
  const tail = y > 27.3 ? 0 : expMinusSquare(y) * erfcxPositiveLarge(y); // erfc(27.3) < 1e-324
  return x < 0 ? 2 - tail : tail;
}

/** The scaled complementary error function erfcx(x) = e^{x²} erfc(x). */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  if (y <= SMALL) return expSquare(x) * (1 - x * erfSmallRatio(x));
  if (x > 0) return erfcxPositiveLarge(y);
  // erfcx(−y) = 2e^{y²} − erfcx(y); the second term is negligible once 2e^{y²} overflows.
  return 2 * expSquare(y) - erfcxPositiveLarge(y);
}
