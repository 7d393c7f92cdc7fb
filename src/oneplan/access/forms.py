"""Forms for break-glass access and its review."""
from django import forms
from django.utils.translation import gettext_lazy as _


class BreakGlassForm(forms.Form):
    reference = forms.CharField(label=_("Family reference"), max_length=30,
                                help_text=_("For example OP-ABCD-2345"))
    reason = forms.CharField(label=_("Why do you need access now?"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("A privacy officer reviews every emergency access."))
    hours = forms.IntegerField(label=_("For how many hours (at most 24)"), min_value=1,
                               max_value=24, initial=4)


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Was this access justified?"), widget=forms.RadioSelect,
                                choices=[("justified", _("Justified")),
                                         ("unjustified", _("Not justified"))])
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
