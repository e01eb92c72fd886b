/** A number schema's bounds, as ranges users read and as a check the schema cannot run itself. */

export interface NumberBounds {
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  exclusiveMaximum?: number;
}

/** `[0, 0.9]`, `(0, inf)`: brackets say whether an end is allowed. */
export function rangeText(schema: NumberBounds): string {
  const lo = schema.minimum ?? schema.exclusiveMinimum;
  const hi = schema.maximum ?? schema.exclusiveMaximum;
  const left = schema.minimum !== undefined ? '[' : '(';
  const right = schema.maximum !== undefined ? ']' : ')';
  return `${left}${lo ?? '-inf'}, ${hi ?? 'inf'}${right}`;
}

export function withinBounds(value: number, schema: NumberBounds): boolean {
  const { minimum, exclusiveMinimum, maximum, exclusiveMaximum } = schema;
  return !(
    (minimum !== undefined && value < minimum) ||
    (exclusiveMinimum !== undefined && value <= exclusiveMinimum) ||
    (maximum !== undefined && value > maximum) ||
    (exclusiveMaximum !== undefined && value >= exclusiveMaximum)
  );
}
