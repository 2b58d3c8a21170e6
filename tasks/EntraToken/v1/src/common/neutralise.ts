// Makes any text safe to print into a pipeline log. The agent runs a `##vso[` command found anywhere in a line,
// renders a line that starts with `##[` as formatting, and starts a new line at every CR or LF; text from outside
// the task (claims, connection data, server answers, echoed inputs) must do none of that.
//
// - Line breaks (CR, LF, CRLF, VT, FF, NEL, U+2028, U+2029) become a visible `⏎`.
// - Other control and invisible format characters become `<U+XXXX>`: .NET's culture-aware IndexOf, which the
//   agent uses to find `##vso[`, skips zero-width characters, so `##\u200Bvso[` would still be a command.
// - `##vso[` and `##[` (any case) become `##_vso[` and `##_[`, the form task-lib uses for external output.
// The result is readable, never shorter in information, and neutralising it again changes nothing.

const LINE_BREAK = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g;
// C0 and C1 controls (tab excepted), DEL, and the invisible format characters (Unicode category Cf).
const INVISIBLE = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f]|\p{Cf}/gu;
const MARKER = /##(?=vso\[|\[)/gi;

function visible(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

export function neutralise(text: string): string {
  return text.replace(LINE_BREAK, '⏎').replace(INVISIBLE, visible).replace(MARKER, '##_');
}
