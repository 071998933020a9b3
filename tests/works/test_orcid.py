"""The one ORCID iD check, shared by the importer, the researcher URLs and typed fields."""

import pytest
from django.core.exceptions import ValidationError

from works.orcid import orcid_check_character, orcid_normalize, validate_orcid


@pytest.mark.parametrize(
    "value,expected",
    [
        ("0000-0002-1825-0097", "0000-0002-1825-0097"),  # ORCID's own example
        ("https://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("0000000218250097", "0000-0002-1825-0097"),
        ("0000-0002-9079-593x", "0000-0002-9079-593X"),  # check character X
        ("0000-0002-1825-0098", None),  # wrong check character
        ("0000-0002-1825-009", None),  # 15 digits
        ("0000-0002-1825-00977", None),
        ("not an orcid", None),
    ],
)
def test_it_normalizes_only_valid_orcid_ids(value, expected):
    assert orcid_normalize(value) == expected


def test_it_computes_the_iso_7064_mod_11_2_check_character():
    assert orcid_check_character("000000021825009") == "7"
    assert orcid_check_character("000000029079593") == "X"


def test_it_validates_a_typed_orcid_id():
    validate_orcid("0000-0002-1825-0097")
    validate_orcid("")  # blank is the field's business
    with pytest.raises(ValidationError, match="check character"):
        validate_orcid("0000-0002-1825-0098")
    with pytest.raises(ValidationError):
        validate_orcid("https://orcid.org/0000-0002-1825-0097")  # stored in the short form


@pytest.mark.django_db
def test_it_rejects_an_invalid_orcid_on_the_author_model():
    from tests.factories import make_author

    author = make_author(orcid="0000-0002-1825-0098")
    with pytest.raises(ValidationError):
        author.full_clean()
