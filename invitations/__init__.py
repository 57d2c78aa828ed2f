"""An administrator invites a person by e-mail with a role: the account is made without a
password, the role given (a producer's account, an office or inspector of a level and
unit, a council's member or secretary), and a one-time link to set the password is mailed
by a job (accounts.mails.send_invitation). Above evaluation and registry, whose roles it
gives; the account and its link are accounts'."""
