"""The console email backend of local runs, printing what a person would read: the headers
and each text part decoded. Django's own prints the raw MIME message, where quoted-printable
breaks long lines with "=" and escapes "=" itself as "=3D", so a verification or claim link
copied from the terminal is broken."""

from email.message import EmailMessage as MIMEMessage

from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend

SHOWN_HEADERS = ("From", "To", "Cc", "Reply-To", "Subject", "Date")


class EmailBackend(DjangoConsoleBackend):
    def write_message(self, message: EmailMessage) -> None:
        mime: MIMEMessage = message.message()
        for name in SHOWN_HEADERS:
            if mime[name]:
                self.stream.write(f"{name}: {mime[name]}\n")
        for part in mime.walk():
            if part.is_multipart():
                continue
            if part.get_content_type() != "text/plain" or part.is_attachment():
                self.stream.write(f"\n[{part.get_content_type()} part not shown]\n")
                continue
            # get_content() undoes the transfer encoding and the charset: the text as written.
            text = part.get_content()
            self.stream.write("\n" + text + ("" if text.endswith("\n") else "\n"))
        self.stream.write("-" * 79 + "\n")
