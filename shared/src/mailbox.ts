/**
 * `ops@example.com` or `Example Ops <ops@example.com>`; a quoted name may hold commas. One rule for
 * the email step's addresses and the SMTP credential's default sender, so what one accepts the
 * other does too.
 */
export const MAILBOX =
  /^(?:(?:"[^"\r\n]*"|[^<>"\r\n,]*)\s*<\s*[^\s<>@,"]+@[^\s<>@,"]+\.[^\s<>@,"]+\s*>|[^\s<>@,"]+@[^\s<>@,"]+\.[^\s<>@,"]+)$/;
