"""`load_demo` against the database: the checked facts about Mitchell Wortsman's five works.

The expected values are written out here, from the checked facts (demo_data/README.md lists
the sources) and the reference researcher page, rather than read back from demo_data/build.py,
so a mistake in the generator cannot hide from its own test.
"""

import runpy
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from works.importer import import_paths
from works.models import Author, Authorship, CoAuthorship, Institution, Source, Topic, Work

pytestmark = pytest.mark.django_db

WORTSMAN = "Mitchell Wortsman"

# Records per file in demo_data/.
ENTITY_COUNTS = {"institutions": 1, "sources": 2, "topics": 6, "authors": 25, "works": 5}

DATA_DETERMINES = (
    "Data Determines Distributional Robustness in Contrastive Language Image Pre-training (CLIP)"
)
MODEL_SOUPS = (
    "Model soups: averaging weights of multiple fine-tuned models improves accuracy without "
    "increasing inference time"
)
WISE_FT = "Robust fine-tuning of zero-shot models"
STR = "Soft Threshold Weight Reparameterization for Learnable Sparsity"
WHATS_HIDDEN = "What's Hidden in a Randomly Weighted Neural Network?"

# Title -> (year, author display names in published order). Gontijo-Lopes is one author under
# his display name; the WiSE-FT list is the published CVPR 2022 one, not arXiv v1's 8 authors.
EXPECTED_WORKS = {
    DATA_DETERMINES: (
        2022,
        [
            "Alex Fang",
            "Gabriel Ilharco",
            WORTSMAN,
            "Yuhao Wan",
            "Vaishaal Shankar",
            "Achal Dave",
            "Ludwig Schmidt",
        ],
    ),
    MODEL_SOUPS: (
        2022,
        [
            WORTSMAN,
            "Gabriel Ilharco",
            "Samir Yitzhak Gadre",
            "Rebecca Roelofs",
            "Raphael Gontijo-Lopes",
            "Ari S. Morcos",
            "Hongseok Namkoong",
            "Ali Farhadi",
            "Yair Carmon",
            "Simon Kornblith",
            "Ludwig Schmidt",
        ],
    ),
    WISE_FT: (
        2022,
        [
            WORTSMAN,
            "Gabriel Ilharco",
            "Jong Wook Kim",
            "Mike Li",
            "Simon Kornblith",
            "Rebecca Roelofs",
            "Raphael Gontijo-Lopes",
            "Hannaneh Hajishirzi",
            "Ali Farhadi",
            "Hongseok Namkoong",
            "Ludwig Schmidt",
        ],
    ),
    STR: (
        2020,
        [
            "Aditya Kusupati",
            "Vivek Ramanujan",
            "Raghav Somani",
            WORTSMAN,
            "Prateek Jain",
            "Sham Kakade",
            "Ali Farhadi",
        ],
    ),
    WHATS_HIDDEN: (
        2020,
        [
            "Vivek Ramanujan",
            WORTSMAN,
            "Aniruddha Kembhavi",
            "Ali Farhadi",
            "Mohammad Rastegari",
        ],
    ),
}

# The abstracts character for character as the reference researcher page gives them.
ABSTRACT_DATA_DETERMINES = (
    "Contrastively trained language-image models such as CLIP, ALIGN, and BASIC have "
    "demonstrated unprecedented robustness to multiple challenging natural distribution "
    "shifts. Since these language-image models differ from previous training approaches in "
    "several ways, an important question is what causes the large robustness gains. We answer "
    "this question via a systematic experimental investigation. Concretely, we study five "
    "different possible causes for the robustness gains: (i) the training set size, (ii) the "
    "training distribution, (iii) language supervision at training time, (iv) language "
    "supervision at test time, and (v) the contrastive loss function. Our experiments show "
    "that the more diverse training distribution is the main cause for the robustness gains, "
    "with the other factors contributing little to no robustness. Beyond our experimental "
    "results, we also introduce ImageNet-Captions, a version of ImageNet with original text "
    "annotations from Flickr, to enable further controlled experiments of language-image "
    "training."
)

ABSTRACT_MODEL_SOUPS = (
    "The conventional recipe for maximizing model accuracy is to (1) train multiple models "
    "with various hyperparameters and (2) pick the individual model which performs best on a "
    "held-out validation set, discarding the remainder. In this paper, we revisit the second "
    "step of this procedure in the context of fine-tuning large pre-trained models, where "
    "fine-tuned models often appear to lie in a single low error basin. We show that averaging "
    "the weights of multiple models fine-tuned with different hyperparameter configurations "
    "often improves accuracy and robustness. Unlike a conventional ensemble, we may average "
    "many models without incurring any additional inference or memory costs -- we call the "
    'results "model soups." When fine-tuning large pre-trained models such as CLIP, ALIGN, '
    "and a ViT-G pre-trained on JFT, our soup recipe provides significant improvements over "
    "the best model in a hyperparameter sweep on ImageNet. The resulting ViT-G model, which "
    "attains 90.94% top-1 accuracy on ImageNet, achieved a new state of the art. Furthermore, "
    "we show that the model soup approach extends to multiple image classification and natural "
    "language processing tasks, improves out-of-distribution performance, and improves "
    "zero-shot performance on new downstream tasks. Finally, we analytically relate the "
    "performance similarity of weight-averaging and logit-ensembling to flatness of the loss "
    "and confidence of the predictions, and validate this relation empirically. Code is "
    "available at https://github.com/mlfoundations/model-soups."
)

ABSTRACT_WISE_FT = (
    "Large pre-trained models such as CLIP or ALIGN offer consistent accuracy across a range "
    "of data distributions when performing zero-shot inference (i.e., without fine-tuning on a "
    "specific dataset). Although existing fine-tuning methods substantially improve accuracy "
    "on a given target distribution, they often reduce robustness to distribution shifts. We "
    "address this tension by introducing a simple and effective method for improving "
    "robustness while fine-tuning: ensembling the weights of the zero-shot and fine-tuned "
    "models (WiSE-FT). Compared to standard fine-tuning, WiSE-FT provides large accuracy "
    "improvements under distribution shift, while preserving high accuracy on the target "
    "distribution. On ImageNet and five derived distribution shifts, WiSE-FT improves accuracy "
    "under distribution shift by 4 to 6 percentage points (pp) over prior work while "
    "increasing ImageNet accuracy by 1.6 pp. WiSE-FT achieves similarly large robustness gains "
    "(2 to 23 pp) on a diverse set of six further distribution shifts, and accuracy gains of "
    "0.8 to 3.3 pp compared to standard fine-tuning on seven commonly used transfer learning "
    "datasets. These improvements come at no additional computational cost during fine-tuning "
    "or inference."
)

ABSTRACT_STR = (
    "Sparsity in Deep Neural Networks (DNNs) is studied extensively with the focus of "
    "maximizing prediction accuracy given an overall parameter budget. Existing methods rely "
    "on uniform or heuristic non-uniform sparsity budgets which have sub-optimal layer-wise "
    "parameter allocation resulting in a) lower prediction accuracy or b) higher inference "
    "cost (FLOPs). This work proposes Soft Threshold Reparameterization (STR), a novel use of "
    "the soft-threshold operator on DNN weights. STR smoothly induces sparsity while learning "
    "pruning thresholds thereby obtaining a non-uniform sparsity budget. Our method achieves "
    "state-of-the-art accuracy for unstructured sparsity in CNNs (ResNet50 and MobileNetV1 on "
    "ImageNet-1K), and, additionally, learns non-uniform budgets that empirically reduce the "
    "FLOPs by up to 50%. Notably, STR boosts the accuracy over existing results by up to 10% "
    "in the ultra sparse (99%) regime and can also be used to induce low-rank (structured "
    "sparsity) in RNNs. In short, STR is a simple mechanism which learns effective sparsity "
    "budgets that contrast with popular heuristics. Code, pretrained models and sparsity "
    "budgets are at https://github.com/RAIVNLab/STR."
)

ABSTRACT_WHATS_HIDDEN = (
    "Training a neural network is synonymous with learning the values of the weights. By "
    "contrast, we demonstrate that randomly weighted neural networks contain subnetworks which "
    "achieve impressive performance without ever training the weight values. Hidden in a "
    "randomly weighted Wide ResNet-50 we show that there is a subnetwork (with random weights) "
    "that is smaller than, but matches the performance of a ResNet-34 trained on ImageNet. Not "
    'only do these "untrained subnetworks" exist, but we provide an algorithm to effectively '
    "find them. We empirically show that as randomly weighted neural networks with fixed "
    'weights grow wider and deeper, an "untrained subnetwork" approaches a network with '
    "learned weights in accuracy. Our code and pretrained models are available at "
    "https://github.com/allenai/hidden-networks."
)

EXPECTED_ABSTRACTS = {
    DATA_DETERMINES: ABSTRACT_DATA_DETERMINES,
    MODEL_SOUPS: ABSTRACT_MODEL_SOUPS,
    WISE_FT: ABSTRACT_WISE_FT,
    STR: ABSTRACT_STR,
    WHATS_HIDDEN: ABSTRACT_WHATS_HIDDEN,
}


@pytest.fixture
def demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _author_list(work: Work) -> list[str]:
    return list(work.authorships.order_by("order").values_list("author__display_name", flat=True))


def _wortsman() -> Author:
    return Author.objects.get(openalex_id="ADEMO0001")


def test_it_loads_wortsman_as_the_demo_researcher(demo):
    wortsman = _wortsman()
    assert wortsman.display_name == WORTSMAN
    # His ORCID is unknown: empty, never guessed.
    assert wortsman.orcid == ""
    assert wortsman.works.count() == 5
    assert wortsman.works_count == 5
    assert wortsman.cited_by_count == 0
    assert [i.display_name for i in wortsman.last_known_institutions.all()] == [
        "University of Washington"
    ]


def test_it_prints_the_summary_and_the_researcher_url(demo):
    assert "/researchers/ADEMO0001/" in demo


def test_it_loads_exactly_the_five_works_with_their_titles_and_years(demo):
    loaded = {w.title: w.publication_year for w in Work.objects.all()}
    assert loaded == {title: year for title, (year, _) in EXPECTED_WORKS.items()}
    assert set(Work.objects.values_list("type", flat=True)) == {"article"}


@pytest.mark.parametrize("title", list(EXPECTED_WORKS))
def test_it_keeps_each_author_list_in_published_order(demo, title):
    _, authors = EXPECTED_WORKS[title]
    assert _author_list(Work.objects.get(title=title)) == authors


def test_it_places_wortsman_where_the_papers_do(demo):
    places = [
        Authorship.objects.get(work__title=title, author__openalex_id="ADEMO0001").order + 1
        for title in [DATA_DETERMINES, MODEL_SOUPS, WISE_FT, STR, WHATS_HIDDEN]
    ]
    assert places == [3, 1, 1, 4, 2]


def test_it_uses_the_published_eleven_author_wise_ft_list(demo):
    authors = _author_list(Work.objects.get(title=WISE_FT))
    assert len(authors) == 11
    # arXiv v1 had Mike Li before Jong Wook Kim and no Kornblith, Roelofs or Gontijo Lopes.
    assert authors[2:5] == ["Jong Wook Kim", "Mike Li", "Simon Kornblith"]


def test_it_sets_first_middle_and_last_positions(demo):
    for work in Work.objects.all():
        positions = list(work.authorships.order_by("order").values_list("position", flat=True))
        assert positions == ["first", *["middle"] * (len(positions) - 2), "last"]


def test_it_never_spells_wortsman_worstsman(demo):
    assert not Author.objects.filter(display_name__icontains="Worstsman").exists()
    assert not Author.objects.filter(search_name__icontains="worstsman").exists()
    assert not Authorship.objects.filter(raw_author_name__icontains="Worstsman").exists()
    assert Author.objects.filter(display_name__icontains="Wortsman").count() == 1


def test_it_does_not_credit_whats_hidden_to_blalock_or_frankle(demo):
    authors = _author_list(Work.objects.get(title=WHATS_HIDDEN))
    assert not [name for name in authors if "Blalock" in name or "Frankle" in name]
    assert not Author.objects.filter(display_name__iregex=r"blalock|frankle").exists()


def test_it_stores_the_abstracts_exactly_as_the_reference_page(demo):
    for title, abstract in EXPECTED_ABSTRACTS.items():
        assert Work.objects.get(title=title).abstract == abstract, title


def test_it_links_the_published_venues_and_arxiv_dois(demo):
    venues = dict(Work.objects.values_list("title", "primary_source__display_name"))
    icml = "International Conference on Machine Learning (ICML)"
    cvpr = "IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)"
    assert venues == {
        DATA_DETERMINES: icml,
        MODEL_SOUPS: icml,
        WISE_FT: cvpr,
        STR: icml,
        WHATS_HIDDEN: cvpr,
    }
    assert set(Source.objects.values_list("type", flat=True)) == {"conference"}
    assert Work.objects.get(title=WHATS_HIDDEN).doi == "10.48550/arxiv.1911.13299"
    # No proceedings dates are known, and arXiv dates are not publication dates.
    assert not Work.objects.filter(publication_date__isnull=False).exists()


def test_it_gives_wortsman_his_affiliation_on_the_2022_works_only(demo):
    with_institution = {
        a.work.title: [i.display_name for i in a.institutions.all()]
        for a in Authorship.objects.filter(author__openalex_id="ADEMO0001")
    }
    assert with_institution == {
        DATA_DETERMINES: ["University of Washington"],
        MODEL_SOUPS: ["University of Washington"],
        WISE_FT: ["University of Washington"],
        STR: [],
        WHATS_HIDDEN: [],
    }
    # No co-author affiliations are invented.
    others = Authorship.objects.exclude(author__openalex_id="ADEMO0001")
    assert not others.filter(institutions__isnull=False).exists()


def test_every_work_has_a_primary_topic(demo):
    for work in Work.objects.all():
        assert work.work_topics.filter(is_primary=True).count() == 1, work.title
        assert 2 <= work.work_topics.count() <= 3, work.title


def test_every_demo_id_says_demo(demo):
    for model in [Author, Work, Source, Topic, Institution]:
        ids = list(model.objects.values_list("openalex_id", flat=True))
        assert ids, model.__name__
        assert all("DEMO" in i for i in ids), ids


def test_the_co_authors_have_complete_records(demo):
    # 24 co-authors plus Wortsman, each imported from authors.jsonl, not a stub.
    assert Author.objects.count() == 25
    for author in Author.objects.all():
        assert author.updated_date is not None, author.display_name
        assert author.works_count == author.works.count(), author.display_name
        assert author.orcid == ""
    ilharco = Author.objects.get(display_name="Gabriel Ilharco")
    assert set(ilharco.works.values_list("title", flat=True)) == {
        DATA_DETERMINES,
        MODEL_SOUPS,
        WISE_FT,
    }


def test_gontijo_lopes_is_one_author_under_both_spellings(demo):
    raphael = Author.objects.get(display_name__startswith="Raphael Gontijo")
    assert raphael.display_name == "Raphael Gontijo-Lopes"
    assert "Raphael Gontijo Lopes" in raphael.display_name_alternatives
    raw_names = dict(raphael.authorships.values_list("work__title", "raw_author_name"))
    assert raw_names == {
        MODEL_SOUPS: "Raphael Gontijo-Lopes",
        WISE_FT: "Raphael Gontijo Lopes",
    }


def test_the_co_authorship_table_counts_shared_works_both_ways(demo):
    def shared(a: str, b: str) -> int:
        return CoAuthorship.objects.get(
            author__display_name=a, coauthor__display_name=b
        ).shared_works_count

    assert shared(WORTSMAN, "Gabriel Ilharco") == shared("Gabriel Ilharco", WORTSMAN) == 3
    assert shared(WORTSMAN, "Ali Farhadi") == shared("Ali Farhadi", WORTSMAN) == 4
    assert shared(WORTSMAN, "Vivek Ramanujan") == shared("Vivek Ramanujan", WORTSMAN) == 2
    assert CoAuthorship.objects.filter(author=_wortsman()).count() == 24


def _snapshot() -> dict[str, list]:
    return {
        "authors": list(Author.objects.order_by("pk").values()),
        "works": list(Work.objects.order_by("pk").values()),
        "authorships": list(Authorship.objects.order_by("pk").values()),
        "coauthorships": list(CoAuthorship.objects.order_by("pk").values()),
    }


def test_loading_twice_changes_nothing(demo):
    before = _snapshot()
    summary = import_paths([settings.BASE_DIR / "demo_data"])
    assert summary.created == 0
    assert summary.updated == 0
    unchanged = {e: summary[e].unchanged for e in ENTITY_COUNTS}
    assert unchanged == ENTITY_COUNTS
    assert summary.problem_count == 0
    call_command("load_demo", "--quiet", stdout=StringIO())
    assert _snapshot() == before


def test_the_first_load_creates_every_record_without_problems(db):
    summary = import_paths([settings.BASE_DIR / "demo_data"])
    assert {e: summary[e].created for e in ENTITY_COUNTS} == ENTITY_COUNTS
    assert summary.total().stubs == 0
    assert summary.problems == []


def test_the_committed_files_are_what_build_py_writes():
    path = settings.BASE_DIR / "demo_data" / "build.py"
    render = runpy.run_path(str(path))["render"]
    for name, text in render().items():
        assert (path.parent / name).read_text(encoding="utf-8") == text, name
