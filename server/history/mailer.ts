import nodemailer, { type Transporter } from 'nodemailer';

/** Files larger than this go by link only (many mail servers refuse messages over 10–25 MB). */
export const MAX_ATTACHMENT_BYTES = 8 * 1024 * 1024;

export interface ReportMail {
  to: string[];
  subject: string;
  text: string;
  attachment: { fileName: string; contentType: string; content: Buffer } | null;
}

/** Sends scheduled reports by SMTP (SMTP_URL): one message to all recipients. */
export class ReportMailer {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    // Time limits so a mail server that hangs fails the e-mail, not the scheduler.
    this.transport = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 });
  }

  async send(mail: ReportMail): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      attachments: mail.attachment ? [{ filename: mail.attachment.fileName, contentType: mail.attachment.contentType, content: mail.attachment.content }] : [],
    });
  }

  close(): void {
    this.transport.close();
  }
}
