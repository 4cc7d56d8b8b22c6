// Stands in for postal-mime in the Worker bundle (wrangler.toml [alias]): resend imports it only to
// parse received e-mails (resend's inbound API), which Kontor never asks for; it sends mail only
// (src/mail/mailer.ts). ~22 KB of the gzipped upload. Node keeps the real package.
export default class PostalMime {
  static parse(): never {
    throw new Error('Parsing received e-mail is not in the Worker bundle (src/unreached/postal-mime.ts)')
  }
}
