"""What every account has, whatever its role: a language for the mails it receives, a
password it can change, and can reset by e-mail when it is forgotten; and the one-time
link with which an invited user sets a first password. Roles (councils, offices,
producers) are given above, in the apps that own them (`invitations`)."""
