from django import forms

from graph.slice import KIND_LABELS

KIND_CHOICES = list(KIND_LABELS.items())
DEPTH_CHOICES = [("1", "Direct links"), ("2", "Also their co-authors' collaborators")]


class ExplorerForm(forms.Form):
    kind = forms.MultipleChoiceField(choices=KIND_CHOICES, required=False)
    depth = forms.TypedChoiceField(choices=DEPTH_CHOICES, coerce=int, required=False)

    def filters(self) -> tuple[list[str], int]:
        """(kinds, depth), with everything and depth 1 for what is missing or invalid."""
        data = self.cleaned_data if self.is_valid() else {}
        kinds = data.get("kind") or list(KIND_LABELS)
        return kinds, data.get("depth") or 1
