"""Write the demo dataset: OpenAlex-shaped JSON Lines built from the checked facts below.

    python demo_data/build.py

rewrites institutions, sources, topics, authors and works (.jsonl) beside this script. The
output is deterministic, so the committed files always equal what this script produces. Where
each fact comes from, and what is left empty on purpose, is in README.md beside this script.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
OPENALEX = "https://openalex.org/"

# One fixed date for every record, so loading the files again changes nothing.
UPDATED_DATE = "2026-11-29T00:00:00"
CREATED_DATE = "2026-11-29"

# OpenAlex's real taxonomy above the topic level (subfield -> its id); only the topics are ours.
AI = "Artificial Intelligence"
COMPUTER_VISION = "Computer Vision and Pattern Recognition"
SUBFIELD_IDS = {AI: "1702", COMPUTER_VISION: "1707"}
COMPUTER_SCIENCE = {"id": f"{OPENALEX}fields/17", "display_name": "Computer Science"}
PHYSICAL_SCIENCES = {"id": f"{OPENALEX}domains/3", "display_name": "Physical Sciences"}


@dataclass(frozen=True)
class Institution:
    id: str
    display_name: str
    country_code: str
    type: str
    homepage_url: str


@dataclass(frozen=True)
class Source:
    id: str
    display_name: str


@dataclass(frozen=True)
class Topic:
    id: str
    display_name: str
    subfield: str  # a key of SUBFIELD_IDS
    description: str


@dataclass(frozen=True)
class Work:
    id: str
    title: str
    publication_year: int
    arxiv_id: str
    source: Source
    landing_page_url: str | None  # the published version's page, where the facts give one
    volume: str | None
    first_page: str | None
    last_page: str | None
    # Names exactly as the published version prints them, in its order.
    authors: tuple[str, ...]
    # (topic, score), best first; the first is the primary topic.
    topics: tuple[tuple[Topic, float], ...]
    abstract: str


UW = Institution(
    id="IDEMO0001",
    display_name="University of Washington",
    country_code="US",
    type="education",
    homepage_url="https://www.washington.edu/",
)
INSTITUTIONS = [UW]

ICML = Source(id="SDEMO0001", display_name="International Conference on Machine Learning (ICML)")
CVPR = Source(
    id="SDEMO0002",
    display_name="IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)",
)
SOURCES = [ICML, CVPR]

WEIGHT_AVERAGING = Topic(
    id="TDEMO0001",
    display_name="Model Ensembling and Weight Averaging",
    subfield=AI,
    description="Combining several trained models, by ensembling their outputs or averaging "
    "their weights, to improve accuracy and robustness.",
)
DISTRIBUTION_SHIFT = Topic(
    id="TDEMO0002",
    display_name="Robustness to Distribution Shift",
    subfield=AI,
    description="How well models keep their accuracy when the test data comes from a "
    "different distribution than the training data, and methods that improve it.",
)
MULTIMODAL = Topic(
    id="TDEMO0003",
    display_name="Multimodal Machine Learning",
    subfield=COMPUTER_VISION,
    description="Models trained on more than one modality, such as contrastive "
    "language-image pre-training.",
)
SPARSITY = Topic(
    id="TDEMO0004",
    display_name="Neural Network Pruning and Sparsity",
    subfield=AI,
    description="Sparse neural networks: pruning weights, learning sparsity budgets and "
    "finding sparse subnetworks.",
)
FINE_TUNING = Topic(
    id="TDEMO0005",
    display_name="Transfer Learning and Fine-Tuning",
    subfield=AI,
    description="Adapting large pre-trained models to downstream tasks by fine-tuning.",
)
IMAGE_CLASSIFICATION = Topic(
    id="TDEMO0006",
    display_name="Deep Learning for Image Classification",
    subfield=COMPUTER_VISION,
    description="Convolutional and transformer networks for image classification, as "
    "benchmarked on ImageNet.",
)
TOPICS = [
    WEIGHT_AVERAGING,
    DISTRIBUTION_SHIFT,
    MULTIMODAL,
    SPARSITY,
    FINE_TUNING,
    IMAGE_CLASSIFICATION,
]

WORTSMAN = "Mitchell Wortsman"
WORTSMAN_ID = "ADEMO0001"

# The one affiliation the facts establish: Wortsman at the University of Washington in 2022.
AFFILIATIONS: dict[tuple[str, int], Institution] = {(WORTSMAN, 2022): UW}

# People printed under more than one spelling: the printed name -> the one display name.
CANONICAL_NAMES = {"Raphael Gontijo Lopes": "Raphael Gontijo-Lopes"}

# The abstracts exactly as the reference researcher page gives them.
ABSTRACT_DATA_DETERMINES = (
    "Contrastively trained language-image models such as CLIP, ALIGN, and BASIC have demonstrated "
    "unprecedented robustness to multiple challenging natural distribution shifts. Since these "
    "language-image models differ from previous training approaches in several ways, an important "
    "question is what causes the large robustness gains. We answer this question via a systematic "
    "experimental investigation. Concretely, we study five different possible causes for the "
    "robustness gains: (i) the training set size, (ii) the training distribution, (iii) language "
    "supervision at training time, (iv) language supervision at test time, and (v) the contrastive "
    "loss function. Our experiments show that the more diverse training distribution is the main "
    "cause for the robustness gains, with the other factors contributing little to no robustness. "
    "Beyond our experimental results, we also introduce ImageNet-Captions, a version of ImageNet "
    "with original text annotations from Flickr, to enable further controlled experiments of "
    "language-image training."
)

ABSTRACT_MODEL_SOUPS = (
    "The conventional recipe for maximizing model accuracy is to (1) train multiple models with "
    "various hyperparameters and (2) pick the individual model which performs best on a held-out "
    "validation set, discarding the remainder. In this paper, we revisit the second step of this "
    "procedure in the context of fine-tuning large pre-trained models, where fine-tuned models "
    "often appear to lie in a single low error basin. We show that averaging the weights of "
    "multiple models fine-tuned with different hyperparameter configurations often improves "
    "accuracy and robustness. Unlike a conventional ensemble, we may average many models without "
    'incurring any additional inference or memory costs -- we call the results "model soups." '
    "When fine-tuning large pre-trained models such as CLIP, ALIGN, and a ViT-G pre-trained on "
    "JFT, our soup recipe provides significant improvements over the best model in a "
    "hyperparameter sweep on ImageNet. The resulting ViT-G model, which attains 90.94% top-1 "
    "accuracy on ImageNet, achieved a new state of the art. Furthermore, we show that the model "
    "soup approach extends to multiple image classification and natural language processing tasks, "
    "improves out-of-distribution performance, and improves zero-shot performance on new "
    "downstream tasks. Finally, we analytically relate the performance similarity of "
    "weight-averaging and logit-ensembling to flatness of the loss and confidence of the "
    "predictions, and validate this relation empirically. Code is available at "
    "https://github.com/mlfoundations/model-soups."
)

ABSTRACT_WISE_FT = (
    "Large pre-trained models such as CLIP or ALIGN offer consistent accuracy across a range of "
    "data distributions when performing zero-shot inference (i.e., without fine-tuning on a "
    "specific dataset). Although existing fine-tuning methods substantially improve accuracy on a "
    "given target distribution, they often reduce robustness to distribution shifts. We address "
    "this tension by introducing a simple and effective method for improving robustness while "
    "fine-tuning: ensembling the weights of the zero-shot and fine-tuned models (WiSE-FT). "
    "Compared to standard fine-tuning, WiSE-FT provides large accuracy improvements under "
    "distribution shift, while preserving high accuracy on the target distribution. On ImageNet "
    "and five derived distribution shifts, WiSE-FT improves accuracy under distribution shift by 4 "
    "to 6 percentage points (pp) over prior work while increasing ImageNet accuracy by 1.6 pp. "
    "WiSE-FT achieves similarly large robustness gains (2 to 23 pp) on a diverse set of six "
    "further distribution shifts, and accuracy gains of 0.8 to 3.3 pp compared to standard "
    "fine-tuning on seven commonly used transfer learning datasets. These improvements come at no "
    "additional computational cost during fine-tuning or inference."
)

ABSTRACT_STR = (
    "Sparsity in Deep Neural Networks (DNNs) is studied extensively with the focus of maximizing "
    "prediction accuracy given an overall parameter budget. Existing methods rely on uniform or "
    "heuristic non-uniform sparsity budgets which have sub-optimal layer-wise parameter allocation "
    "resulting in a) lower prediction accuracy or b) higher inference cost (FLOPs). This work "
    "proposes Soft Threshold Reparameterization (STR), a novel use of the soft-threshold operator "
    "on DNN weights. STR smoothly induces sparsity while learning pruning thresholds thereby "
    "obtaining a non-uniform sparsity budget. Our method achieves state-of-the-art accuracy for "
    "unstructured sparsity in CNNs (ResNet50 and MobileNetV1 on ImageNet-1K), and, additionally, "
    "learns non-uniform budgets that empirically reduce the FLOPs by up to 50%. Notably, STR "
    "boosts the accuracy over existing results by up to 10% in the ultra sparse (99%) regime and "
    "can also be used to induce low-rank (structured sparsity) in RNNs. In short, STR is a simple "
    "mechanism which learns effective sparsity budgets that contrast with popular heuristics. "
    "Code, pretrained models and sparsity budgets are at https://github.com/RAIVNLab/STR."
)

ABSTRACT_WHATS_HIDDEN = (
    "Training a neural network is synonymous with learning the values of the weights. By contrast, "
    "we demonstrate that randomly weighted neural networks contain subnetworks which achieve "
    "impressive performance without ever training the weight values. Hidden in a randomly weighted "
    "Wide ResNet-50 we show that there is a subnetwork (with random weights) that is smaller than, "
    'but matches the performance of a ResNet-34 trained on ImageNet. Not only do these "untrained '
    'subnetworks" exist, but we provide an algorithm to effectively find them. We empirically '
    "show that as randomly weighted neural networks with fixed weights grow wider and deeper, an "
    '"untrained subnetwork" approaches a network with learned weights in accuracy. Our code and '
    "pretrained models are available at https://github.com/allenai/hidden-networks."
)

WORKS = [
    Work(
        id="WDEMO0001",
        title="Data Determines Distributional Robustness in Contrastive Language Image "
        "Pre-training (CLIP)",
        publication_year=2022,
        arxiv_id="2205.01397",
        source=ICML,
        landing_page_url="https://proceedings.mlr.press/v162/fang22a.html",
        volume="162",
        first_page="6216",
        last_page="6234",
        authors=(
            "Alex Fang",
            "Gabriel Ilharco",
            WORTSMAN,
            "Yuhao Wan",
            "Vaishaal Shankar",
            "Achal Dave",
            "Ludwig Schmidt",
        ),
        topics=((DISTRIBUTION_SHIFT, 0.9912), (MULTIMODAL, 0.9634)),
        abstract=ABSTRACT_DATA_DETERMINES,
    ),
    Work(
        id="WDEMO0002",
        title="Model soups: averaging weights of multiple fine-tuned models improves accuracy "
        "without increasing inference time",
        publication_year=2022,
        arxiv_id="2203.05482",
        source=ICML,
        landing_page_url="https://proceedings.mlr.press/v162/wortsman22a.html",
        volume="162",
        first_page="23965",
        last_page="23998",
        authors=(
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
        ),
        topics=((WEIGHT_AVERAGING, 0.9953), (FINE_TUNING, 0.9721), (DISTRIBUTION_SHIFT, 0.9302)),
        abstract=ABSTRACT_MODEL_SOUPS,
    ),
    Work(
        id="WDEMO0003",
        title="Robust fine-tuning of zero-shot models",
        publication_year=2022,
        arxiv_id="2109.01903",
        source=CVPR,
        # No CVF open-access page was found for this paper; the CVPR pages are known.
        landing_page_url=None,
        volume=None,
        first_page="7959",
        last_page="7971",
        # The published CVPR 2022 list (11 authors), not arXiv v1's 8-author list.
        authors=(
            WORTSMAN,
            "Gabriel Ilharco",
            "Jong Wook Kim",
            "Mike Li",
            "Simon Kornblith",
            "Rebecca Roelofs",
            "Raphael Gontijo Lopes",
            "Hannaneh Hajishirzi",
            "Ali Farhadi",
            "Hongseok Namkoong",
            "Ludwig Schmidt",
        ),
        topics=(
            (DISTRIBUTION_SHIFT, 0.9948),
            (FINE_TUNING, 0.9815),
            (WEIGHT_AVERAGING, 0.9427),
        ),
        abstract=ABSTRACT_WISE_FT,
    ),
    Work(
        id="WDEMO0004",
        title="Soft Threshold Weight Reparameterization for Learnable Sparsity",
        publication_year=2020,
        arxiv_id="2002.03231",
        source=ICML,
        # PMLR vol. 119, pp. 5544-5555 come only from citing papers and were not checked.
        landing_page_url=None,
        volume=None,
        first_page=None,
        last_page=None,
        authors=(
            "Aditya Kusupati",
            "Vivek Ramanujan",
            "Raghav Somani",
            WORTSMAN,
            "Prateek Jain",
            "Sham Kakade",
            "Ali Farhadi",
        ),
        topics=((SPARSITY, 0.9991), (IMAGE_CLASSIFICATION, 0.9268)),
        abstract=ABSTRACT_STR,
    ),
    Work(
        id="WDEMO0005",
        title="What's Hidden in a Randomly Weighted Neural Network?",
        publication_year=2020,
        arxiv_id="1911.13299",
        source=CVPR,
        landing_page_url="https://openaccess.thecvf.com/content_CVPR_2020/html/"
        "Ramanujan_Whats_Hidden_in_a_Randomly_Weighted_Neural_Network_CVPR_2020_paper.html",
        volume=None,
        first_page="11893",
        last_page="11902",
        authors=(
            "Vivek Ramanujan",
            WORTSMAN,
            "Aniruddha Kembhavi",
            "Ali Farhadi",
            "Mohammad Rastegari",
        ),
        topics=((SPARSITY, 0.9876), (IMAGE_CLASSIFICATION, 0.9513)),
        abstract=ABSTRACT_WHATS_HIDDEN,
    ),
]


def _id(short_id: str) -> str:
    return f"{OPENALEX}{short_id}"


def canonical_name(printed_name: str) -> str:
    return CANONICAL_NAMES.get(printed_name, printed_name)


def author_ids() -> dict[str, str]:
    """Display name -> demo id: Wortsman first, then everyone in order of first appearance."""
    ids = {WORTSMAN: WORTSMAN_ID}
    for work in WORKS:
        for printed_name in work.authors:
            name = canonical_name(printed_name)
            if name not in ids:
                ids[name] = f"ADEMO{len(ids) + 1:04d}"
    return ids


def inverted_index(text: str) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for position, word in enumerate(text.split(" ")):
        index.setdefault(word, []).append(position)
    return index


def dehydrated_institution(institution: Institution) -> dict:
    return {
        "id": _id(institution.id),
        "ror": None,
        "display_name": institution.display_name,
        "country_code": institution.country_code,
        "type": institution.type,
        "lineage": [_id(institution.id)],
    }


def dehydrated_source(source: Source) -> dict:
    return {
        "id": _id(source.id),
        "display_name": source.display_name,
        "issn_l": None,
        "issn": None,
        "host_organization": None,
        "host_organization_name": None,
        "host_organization_lineage": [],
        "host_organization_lineage_names": [],
        "type": "conference",
    }


def taxonomy(topic: Topic) -> dict:
    subfield_id = f"{OPENALEX}subfields/{SUBFIELD_IDS[topic.subfield]}"
    return {
        "subfield": {"id": subfield_id, "display_name": topic.subfield},
        "field": COMPUTER_SCIENCE,
        "domain": PHYSICAL_SCIENCES,
    }


def institution_record(institution: Institution) -> dict:
    works_count = sum(
        1
        for work in WORKS
        if any(
            AFFILIATIONS.get((name, work.publication_year)) == institution for name in work.authors
        )
    )
    return {
        "id": _id(institution.id),
        "ror": None,
        "display_name": institution.display_name,
        "country_code": institution.country_code,
        "type": institution.type,
        "type_id": f"{OPENALEX}institution-types/{institution.type}",
        "lineage": [_id(institution.id)],
        "homepage_url": institution.homepage_url,
        "display_name_acronyms": [],
        "display_name_alternatives": [],
        "works_count": works_count,
        "cited_by_count": 0,
        "summary_stats": None,
        "ids": {"openalex": _id(institution.id)},
        "updated_date": UPDATED_DATE,
        "created_date": CREATED_DATE,
    }


def source_record(source: Source) -> dict:
    return {
        "id": _id(source.id),
        "issn_l": None,
        "issn": None,
        "display_name": source.display_name,
        "host_organization": None,
        "host_organization_name": None,
        "host_organization_lineage": [],
        "works_count": sum(1 for work in WORKS if work.source == source),
        "cited_by_count": 0,
        "summary_stats": None,
        "ids": {"openalex": _id(source.id)},
        "homepage_url": None,
        "country_code": None,
        "alternate_titles": [],
        "abbreviated_title": None,
        "type": "conference",
        "updated_date": UPDATED_DATE,
        "created_date": CREATED_DATE,
    }


def topic_record(topic: Topic) -> dict:
    return {
        "id": _id(topic.id),
        "display_name": topic.display_name,
        "description": topic.description,
        "keywords": [],
        "ids": {"openalex": _id(topic.id)},
        **taxonomy(topic),
        "siblings": [],
        "works_count": sum(1 for work in WORKS for t, _ in work.topics if t == topic),
        "cited_by_count": 0,
        "updated_date": UPDATED_DATE,
        "created_date": CREATED_DATE,
    }


def author_records() -> list[dict]:
    ids = author_ids()
    printed_names: dict[str, list[str]] = defaultdict(list)
    works_of: dict[str, list[Work]] = defaultdict(list)
    for work in WORKS:
        for printed_name in work.authors:
            name = canonical_name(printed_name)
            works_of[name].append(work)
            if printed_name not in printed_names[name]:
                printed_names[name].append(printed_name)

    records = []
    for name, short_id in ids.items():
        years_at: dict[Institution, set[int]] = defaultdict(set)
        for work in works_of[name]:
            if institution := AFFILIATIONS.get((name, work.publication_year)):
                years_at[institution].add(work.publication_year)
        latest_year = max((max(years) for years in years_at.values()), default=None)
        topic_counts = Counter(topic for work in works_of[name] for topic, _ in work.topics)
        records.append(
            {
                "id": _id(short_id),
                "orcid": None,
                "display_name": name,
                "display_name_alternatives": sorted({name, *printed_names[name]}),
                "works_count": len(works_of[name]),
                "cited_by_count": 0,
                "summary_stats": None,
                "ids": {"openalex": _id(short_id)},
                "affiliations": [
                    {
                        "institution": dehydrated_institution(institution),
                        "years": sorted(years, reverse=True),
                    }
                    for institution, years in years_at.items()
                ],
                "last_known_institutions": [
                    dehydrated_institution(institution)
                    for institution, years in years_at.items()
                    if latest_year in years
                ],
                "topics": [
                    {
                        "id": _id(topic.id),
                        "display_name": topic.display_name,
                        "count": count,
                        **taxonomy(topic),
                    }
                    # Most works first; ties in the order of TOPICS.
                    for topic, count in sorted(
                        topic_counts.items(), key=lambda item: (-item[1], TOPICS.index(item[0]))
                    )
                ],
                "updated_date": UPDATED_DATE,
                "created_date": CREATED_DATE,
            }
        )
    return records


def authorship(work: Work, place: int, printed_name: str, author_id: str) -> dict:
    name = canonical_name(printed_name)
    if place == 0:
        position = "first"
    elif place == len(work.authors) - 1:
        position = "last"
    else:
        position = "middle"
    institution = AFFILIATIONS.get((name, work.publication_year))
    institutions = [dehydrated_institution(institution)] if institution else []
    return {
        "author_position": position,
        "author": {"id": _id(author_id), "display_name": name, "orcid": None},
        "institutions": institutions,
        "countries": sorted({i["country_code"] for i in institutions}),
        "is_corresponding": False,
        "raw_author_name": printed_name,
        "raw_affiliation_strings": [],
        "affiliations": [],
    }


def work_record(work: Work, ids: dict[str, str]) -> dict:
    doi = f"https://doi.org/10.48550/arxiv.{work.arxiv_id}"
    published = {
        "is_oa": None,
        "landing_page_url": work.landing_page_url,
        "pdf_url": None,
        "source": dehydrated_source(work.source),
        "license": None,
        "license_id": None,
        "version": "publishedVersion",
        "is_accepted": True,
        "is_published": True,
    }
    arxiv = {
        "is_oa": True,
        "landing_page_url": f"https://arxiv.org/abs/{work.arxiv_id}",
        "pdf_url": f"https://arxiv.org/pdf/{work.arxiv_id}",
        "source": None,
        "license": None,
        "license_id": None,
        "version": None,
        "is_accepted": False,
        "is_published": False,
    }
    topics = [
        {"id": _id(topic.id), "display_name": topic.display_name, "score": score, **taxonomy(topic)}
        for topic, score in work.topics
    ]
    return {
        "id": _id(work.id),
        "doi": doi,
        "title": work.title,
        "display_name": work.title,
        "publication_year": work.publication_year,
        "publication_date": None,
        "ids": {"openalex": _id(work.id), "doi": doi},
        "language": "en",
        "primary_location": published,
        "type": "article",
        "open_access": {
            "is_oa": True,
            "oa_status": None,
            "oa_url": arxiv["landing_page_url"],
            "any_repository_has_fulltext": True,
        },
        "authorships": [
            authorship(work, place, printed_name, ids[canonical_name(printed_name)])
            for place, printed_name in enumerate(work.authors)
        ],
        "corresponding_author_ids": [],
        "corresponding_institution_ids": [],
        "cited_by_count": 0,
        "biblio": {
            "volume": work.volume,
            "issue": None,
            "first_page": work.first_page,
            "last_page": work.last_page,
        },
        "is_retracted": False,
        "is_paratext": False,
        "primary_topic": topics[0],
        "topics": topics,
        "locations_count": 2,
        "locations": [published, arxiv],
        "best_oa_location": arxiv,
        "abstract_inverted_index": inverted_index(work.abstract),
        "updated_date": UPDATED_DATE,
        "created_date": CREATED_DATE,
    }


def _jsonl(records: list[dict]) -> str:
    return "".join(
        json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n" for record in records
    )


def render() -> dict[str, str]:
    """File name -> contents, for every file this script writes."""
    ids = author_ids()
    return {
        "institutions.jsonl": _jsonl([institution_record(i) for i in INSTITUTIONS]),
        "sources.jsonl": _jsonl([source_record(s) for s in SOURCES]),
        "topics.jsonl": _jsonl([topic_record(t) for t in TOPICS]),
        "authors.jsonl": _jsonl(author_records()),
        "works.jsonl": _jsonl([work_record(w, ids) for w in WORKS]),
    }


def main() -> None:
    for name, text in render().items():
        (HERE / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
