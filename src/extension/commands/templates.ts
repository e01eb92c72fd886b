// The engine's template listing, parsed without vscode so it can be unit-tested.

/** Parses `init --list`: a JSON array of names or of { name, description }, or lines "name  description". */
export function parseTemplateList(stdout: string): { name: string; description: string }[] {
  try {
    const parsed = JSON.parse(stdout) as unknown;
    if (Array.isArray(parsed)) {
      return parsed.map((t) =>
        typeof t === 'string'
          ? { name: t, description: '' }
          : { name: String(t.name), description: String(t.description ?? '') },
      );
    }
  } catch {
    // Plain text listing.
  }
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [name, ...rest] = l.split(/\s+/);
      return { name, description: rest.join(' ').replace(/^[-–:]\s*/, '') };
    });
}
