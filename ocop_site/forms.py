"""The sign-in form."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class SignInForm(AuthenticationForm):
    """Django's form, with the username's length actually checked.

    AuthenticationForm sets the username's max_length after the field is built, so the
    length validator is never added: a 10,000-character name went on to authenticate(),
    and django-axes wrote it into its attempt log, whose column holds 255 characters.
    PostgreSQL refused the row (a 500). No account has a longer name than the field allows,
    so such a name is refused as too long before anyone is asked.
    """

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))
