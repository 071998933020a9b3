"""The words, names and places a generated corpus is made of, and the check digits its ids
carry (ORCID, ISSN, ROR), so that every value looks like what OpenAlex publishes."""

import re
import unicodedata

URL = "https://openalex.org/"

# The 26 fields of OpenAlex's topic tree (the ASJC fields, with their OpenAlex ids) and the
# domain each belongs to: 1 Life, 2 Social, 3 Physical, 4 Health Sciences.
DOMAINS = {1: "Life Sciences", 2: "Social Sciences", 3: "Physical Sciences", 4: "Health Sciences"}
FIELDS = [
    (11, "Agricultural and Biological Sciences", 1),
    (12, "Arts and Humanities", 2),
    (13, "Biochemistry, Genetics and Molecular Biology", 1),
    (14, "Business, Management and Accounting", 2),
    (15, "Chemical Engineering", 3),
    (16, "Chemistry", 3),
    (17, "Computer Science", 3),
    (18, "Decision Sciences", 2),
    (19, "Earth and Planetary Sciences", 3),
    (20, "Economics, Econometrics and Finance", 2),
    (21, "Energy", 3),
    (22, "Engineering", 3),
    (23, "Environmental Science", 3),
    (24, "Immunology and Microbiology", 1),
    (25, "Materials Science", 3),
    (26, "Mathematics", 3),
    (27, "Medicine", 4),
    (28, "Neuroscience", 1),
    (29, "Nursing", 4),
    (30, "Pharmacology, Toxicology and Pharmaceutics", 1),
    (31, "Physics and Astronomy", 3),
    (32, "Psychology", 2),
    (33, "Social Sciences", 2),
    (34, "Veterinary", 4),
    (35, "Dentistry", 4),
    (36, "Health Professions", 4),
]
SUBFIELD_KINDS = (
    "General", "Applied", "Theoretical", "Clinical", "Computational", "Experimental",
    "Molecular", "Statistical", "Environmental", "Industrial",
)  # fmt: skip


def _words(text: str) -> list[str]:
    return list(dict.fromkeys(text.split()))


# The head of the word distribution: words abstracts and titles use most.
COMMON_WORDS = _words("""the of and in to a is for with on by that we this are as from be an results
study was at which data model these using our were can has between based analysis method
two have or also effect its new high than show used not both more time their use different
two patients during may one after paper significant approach proposed performance increased
three systems system effects other such cell cells level levels found however into structure
treatment control group learning network networks function total present higher temperature
growth during energy protein expression clinical risk human water surface properties process
quality health role changes compared order within associated observed potential increase""")
# Syllables the long tail of rarer words is made of.
SYLLABLES = _words(
    "ra no me ti ca lo ver sen tra pho gen bio syn the cro mat ion lex dy nam ic al ter "
    "quan tum neu ro cor tex hy dro car bon vas cu lar im mu no gly co pro te in ase"
)

GIVEN_NAMES = _words("""James Mary Wei Li Yan Hiroshi Yuki Aiko Olga Ivan Dmitri Anna Maria José
Luis Carmen Ana João Fernanda Lucas Mateo Sofía Priya Rahul Anil Sunita Arjun Deepa Mohammed Fatima
Ahmed Aisha Omar Layla Yusuf Emeka Chidi Ngozi Amara Kwame Ama Thabo Zanele Sipho Lars Ingrid
Sven Astrid Björn Søren Mette Jürgen Klaus Anke Sabine François Hélène Élodie Jérôme Camille
Giulia Marco Alessandro Chiara Paolo Francesca Jan Piotr Agnieszka Tomasz Katarzyna Eva Jiří
Minh Thu Huong Nguyen Seo-yeon Ji-ho Min-jun Hye-jin Mehmet Ayşe Zeynep Emre Daniel Sarah
Michael Emily David Laura John Elizabeth Robert Jennifer Thomas Linda Christopher Patricia
Andrew Susan Kevin Rachel Brian Nicole Nikolaos Eleni Dimitris Georgia Arash Shirin Reza
Maryam Tenzin Pema Aroha Tane Chen Jing Xin Hui Ming Hong Lei""")
FAMILY_NAMES = _words("""Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez
Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin He Gao Luo Tanaka
Suzuki Takahashi Watanabe Sato Ito Yamamoto Nakamura Kim Lee Park Choi Jung Kang Cho Yoon
Nguyễn Trần Lê Phạm Hoàng Kumar Sharma Singh Patel Gupta Reddy Iyer Nair Das Banerjee Müller
Schmidt Schneider Fischer Weber Meyer Wagner Becker Schäfer Koch Dubois Durand Lefèvre Moreau
Laurent Rossi Russo Ferrari Esposito Bianchi Romano Silva Santos Oliveira Souza Pereira Costa
Fernández López González Sánchez Pérez Gómez Díaz Ivanov Smirnov Kuznetsov Popov Petrov
Novák Kowalski Nowak Wiśniewski Jensen Nielsen Hansen Andersen Johansson Karlsson Nilsson
Ødegaard Virtanen Korhonen Papadopoulos Yılmaz Kaya Demir Hosseini Ahmadi Mohammadi Khan
Ali Hussain Ahmed Okafor Adeyemi Mensah Nkosi Dlamini Cohen Levi O'Brien Murphy Kelly
MacDonald Jansen""") + ["van der Berg", "de Vries", "da Silva", "Al-Masri"]

# (country, how its institutions' homepages are formed, cities)
COUNTRIES = [
    ("US", "https://www.{slug}.edu/", "Boston Denver Austin Seattle Chicago Atlanta Phoenix"),
    ("GB", "https://www.{slug}.ac.uk/", "Leeds Bristol Glasgow Oxford Cardiff York Durham"),
    ("DE", "https://www.uni-{slug}.de/", "Köln Bonn Leipzig Dresden Freiburg Jena Münster"),
    ("FR", "https://www.univ-{slug}.fr/", "Lyon Lille Nantes Rennes Toulouse Grenoble Nancy"),
    ("CN", "https://www.{slug}.edu.cn/", "Wuhan Nanjing Chengdu Xiamen Harbin Tianjin Jinan"),
    ("JP", "https://www.{slug}.ac.jp/", "Osaka Kyoto Sendai Sapporo Kobe Nagoya Fukuoka"),
    ("IN", "https://www.{slug}.ac.in/", "Pune Chennai Mumbai Kanpur Delhi Mysore Jaipur"),
    ("BR", "https://www.{slug}.br/", "Campinas Recife Curitiba Salvador Belém Niterói"),
    ("AU", "https://www.{slug}.edu.au/", "Sydney Perth Adelaide Hobart Darwin Brisbane"),
    ("CA", "https://www.{slug}.ca/", "Toronto Montréal Calgary Ottawa Halifax Victoria"),
    ("KR", "https://www.{slug}.ac.kr/", "Seoul Busan Daejeon Incheon Gwangju Ulsan"),
    ("IT", "https://www.uni{slug}.it/", "Bologna Padova Torino Pisa Napoli Milano"),
    ("ES", "https://www.u{slug}.es/", "Sevilla Valencia Granada Oviedo Zaragoza Murcia"),
    ("NL", "https://www.{slug}.nl/", "Utrecht Leiden Delft Groningen Nijmegen Tilburg"),
    ("ZA", "https://www.{slug}.ac.za/", "Pretoria Durban Stellenbosch Johannesburg"),
    ("SE", "https://www.{slug}.se/", "Uppsala Lund Umeå Linköping Göteborg"),
]
# (name pattern, OpenAlex institution type); {city} and {family} are filled in.
INSTITUTION_KINDS = [
    ("University of {city}", "education"),
    ("{city} Institute of Technology", "education"),
    ("{city} State University", "education"),
    ("{city} University Hospital", "healthcare"),
    ("{city} Centre for Advanced Research", "facility"),
    ("{family} Laboratories", "company"),
    ("National Agency for Science, {city}", "government"),
    ("{family} Foundation", "nonprofit"),
    ("{city} City Archives", "archive"),
]
SOURCE_KINDS = [
    ("Journal of {subject}", "journal"),
    ("{subject} Letters", "journal"),
    ("International Journal of {subject}", "journal"),
    ("Annals of {subject}", "journal"),
    ("{subject} Reviews", "journal"),
    ("Proceedings of the Conference on {subject}", "conference"),
    ("{subject} Book Series", "book series"),
    ("{subject} Open Repository", "repository"),
]
WORK_TYPES = (
    ("article", 0.74), ("book-chapter", 0.07), ("preprint", 0.06), ("review", 0.04),
    ("dissertation", 0.03), ("dataset", 0.02), ("book", 0.02), ("other", 0.02),
)  # fmt: skip
LANGUAGES = (("en", 0.9), ("zh", 0.03), ("de", 0.02), ("fr", 0.02), ("es", 0.02), ("ja", 0.01))
OA_STATUSES = (("closed", 0.5), ("gold", 0.18), ("green", 0.14), ("bronze", 0.1), ("hybrid", 0.08))


def slug(text: str) -> str:
    """ASCII, lower case, letters and digits only: "Münster" -> "munster"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", ascii_text.lower())


def orcid_of(number: int) -> str:
    """The ORCID iD with the 15 base digits of `number` and its ISO 7064 11,2 check digit."""
    base = f"{number % 10**15:015d}"
    total = 0
    for digit in base:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    digits = base + ("X" if check == 10 else str(check))
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


def issn_of(number: int) -> str:
    """An ISSN ("1234-5679") of 7 digits taken from `number` and its mod-11 check digit."""
    base = f"{number % 10**7:07d}"
    check = (11 - sum(int(d) * (8 - i) for i, d in enumerate(base)) % 11) % 11
    digits = base + ("X" if check == 10 else str(check))
    return f"{digits[:4]}-{digits[4:]}"


_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"


def ror_of(number: int) -> str:
    """A ROR id: "0", six Crockford base-32 characters and the ISO 7064 mod 97-10 checksum."""
    value = number % 32**6
    chars = "".join(_CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(6)))
    return f"https://ror.org/0{chars}{98 - (value * 100) % 97:02d}"


def initials_form(given: str, family: str) -> str:
    """("Seo-yeon", "Kim") -> "S. Kim", the way many bylines print a name."""
    return f"{given[0]}. {family}"


def pick(table: tuple[tuple[str, float], ...], u: float) -> str:
    """The value of a (value, weight) table that u in [0, 1) falls on."""
    for value, weight in table:
        if u < weight:
            return value
        u -= weight
    return table[-1][0]
