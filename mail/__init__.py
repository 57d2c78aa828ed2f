"""Outgoing e-mail: composed in the recipient's language, sent from a job, recorded.

Every mail leaves through one backend (`backends.RecordingBackend`, settings.EMAIL_BACKEND):
it hands the mail to SMTP (EMAIL_HOST set) or prints it on the console (development), and
records it as a `SentMail` row the administrator reads in the admin. Mails are written in
a language given by the caller (the recipient's: accounts.language_of) and sent by the
`send_mail` job, so a slow or absent mail server never holds up a page.
"""
