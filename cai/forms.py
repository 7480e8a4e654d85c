"""Sign-in forms: the password step and the second-factor code."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .twofactor import is_authenticator_code, normalize_code


class SignInForm(AuthenticationForm):
    """The password step. One message for every failure, so it never tells whether the account exists."""

    error_messages = {
        "invalid_login": _(
            "Identifiant ou mot de passe incorrect. Après 5 échecs, la connexion est bloquée pendant 30 minutes."
        ),
        "inactive": _("Identifiant ou mot de passe incorrect."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Identifiant")
        self.fields["password"].label = _("Mot de passe")


class SecondFactorForm(forms.Form):
    """The code of the authenticator app (6 digits) or a recovery code (8 characters)."""

    code = forms.CharField(
        label=_("Code de vérification"),
        max_length=32,
        error_messages={"required": _("Saisissez le code de votre application ou un code de secours.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        code = normalize_code(self.cleaned_data["code"])
        if not (is_authenticator_code(code) or (len(code) == 8 and code.isalnum())):
            raise forms.ValidationError(
                _("Le code est formé de 6 chiffres (application) ou de 8 caractères (code de secours).")
            )
        return code


class EnrolmentForm(forms.Form):
    """The first code of the authenticator app being set up, proving the phone holds the secret."""

    code = forms.CharField(
        label=_("Code affiché par l'application"),
        max_length=32,
        error_messages={"required": _("Saisissez le code à 6 chiffres affiché par l'application.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self):
        code = normalize_code(self.cleaned_data["code"])
        if not is_authenticator_code(code):
            raise forms.ValidationError(_("Le code est formé de 6 chiffres."))
        return code
