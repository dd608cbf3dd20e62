/** A function's log line as `pulse logs` shows it, from CloudWatch or the local stack's log file. */

export interface LogLine {
  at: string;
  stream?: string;
  level?: string;
  message: string;
}

/** A Powertools JSON line becomes level and message (with its error's); any other line stays as it is. */
export function parseLogMessage(timestamp: number, raw: string, stream?: string): LogLine {
  const text = raw.trimEnd();
  try {
    const json = JSON.parse(text) as { level?: string; message?: string; error?: { message?: string } };
    if (json && typeof json === 'object' && typeof json.message === 'string') {
      return {
        at: new Date(timestamp).toISOString(),
        ...(stream ? { stream } : {}),
        ...(json.level ? { level: json.level } : {}),
        message: json.error?.message ? `${json.message}: ${json.error.message}` : json.message,
      };
    }
  } catch {
    // plain runtime lines (START, END, REPORT, timeouts)
  }
  return { at: new Date(timestamp).toISOString(), ...(stream ? { stream } : {}), message: text };
}
