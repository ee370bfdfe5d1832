/**
 * `${VAR}` and `${VAR:-default}` substitution in config strings. Secrets live in the environment,
 * never in the files; `$${` escapes a literal `${`.
 */
export interface Interpolated {
  value: string;
  /** Variables that were unset (or empty) and had no default: the value may be unusable. */
  missing: string[];
  /** Whether the text referenced any variable at all (such values are masked in logs). */
  fromEnv: boolean;
}

const PATTERN = /\$(\$)?\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g;

export function interpolate(text: string, env: NodeJS.ProcessEnv): Interpolated {
  const missing: string[] = [];
  let fromEnv = false;
  const value = text.replace(PATTERN, (whole, escaped: string | undefined, name: string, fallback: string | undefined) => {
    if (escaped) return whole.slice(1);
    fromEnv = true;
    const v = env[name];
    if (v !== undefined && v !== '') return v;
    if (fallback !== undefined) return fallback;
    missing.push(name);
    return '';
  });
  return { value, missing, fromEnv };
}
