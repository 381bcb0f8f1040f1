import { isObject } from './guards.js';

/**
 * The server's own explanation of a failed HTTP answer, for an error message: from a JSON body
 * (`{error}`, `{message}`, `{detail}`, MLflow's `{error_code, message}`, `{error: {message}}`) or
 * short plain text. A web page (an HTML error page) or a long body gives `undefined`.
 */
export async function readErrorDetail(response: Response): Promise<string | undefined> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    return undefined;
  }
  try {
    const body: unknown = JSON.parse(text);
    if (isObject(body)) {
      const msg = body.message ?? body.error ?? body.detail;
      if (typeof msg === 'string') return typeof body.error_code === 'string' ? `${msg} (${body.error_code})` : msg;
      if (isObject(msg) && typeof msg.message === 'string') return msg.message;
    }
  } catch {
    // Not JSON: plain text is shown if short and not a web page.
  }
  const trimmed = text.trim();
  return trimmed && trimmed.length <= 300 && !trimmed.startsWith('<') ? trimmed : undefined;
}
