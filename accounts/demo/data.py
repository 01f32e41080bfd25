"""The demo district's fixed facts: schools, subjects, focus areas, positions, names and the
named demo accounts. `accounts.demo` turns them into rows."""

from dataclasses import dataclass

from accounts.models import CareerStage, DistrictRole, Grade, Language

DEMO_PASSWORD = "mentor-demo-2026"
RANDOM_SEED = 2026
STAFF_COUNT = 150

DISTRICT_NAME = "Riverside Unified School District"
DISTRICT_TIME_ZONE = "America/Chicago"
EMAIL_DOMAIN = "riverside.example.org"

ELEMENTARY, MIDDLE, HIGH = "elementary", "middle", "high"
LEVEL_GRADES = {
    ELEMENTARY: [Grade.PK, Grade.KG, Grade.G01, Grade.G02, Grade.G03, Grade.G04, Grade.G05],
    MIDDLE: [Grade.G06, Grade.G07, Grade.G08],
    HIGH: [Grade.G09, Grade.G10, Grade.G11, Grade.G12],
}


@dataclass(frozen=True)
class SchoolSpec:
    code: str
    name: str
    level: str
    staff: int  # generated staff placed at this school


# The model has no school level; the seed keeps it here to pick fitting grades and titles.
SCHOOLS = [
    SchoolSpec("101", "Lincoln Elementary School", ELEMENTARY, 16),
    SchoolSpec("102", "Maple Grove Elementary School", ELEMENTARY, 15),
    SchoolSpec("103", "Cedar Park Elementary School", ELEMENTARY, 14),
    SchoolSpec("104", "Rosa Parks Elementary School", ELEMENTARY, 15),
    SchoolSpec("201", "Jefferson Middle School", MIDDLE, 20),
    SchoolSpec("202", "Oak Hollow Middle School", MIDDLE, 20),
    SchoolSpec("301", "Riverside High School", HIGH, 26),
    SchoolSpec("302", "East Valley High School", HIGH, 24),
]

ELA = "English Language Arts"
MATH = "Mathematics"
SCIENCE = "Science"
SOCIAL = "Social Studies"
SPED = "Special Education"
ESL = "English as a Second Language"
ART = "Art"
MUSIC = "Music"
PE = "Physical Education"
WORLD_LANGUAGES = "World Languages"
CS = "Computer Science"
SUBJECTS = [ELA, MATH, SCIENCE, SOCIAL, SPED, ESL, ART, MUSIC, PE, WORLD_LANGUAGES, CS]

ASSESSMENT = "Assessment literacy"
CLASSROOM = "Classroom management"
ENGAGEMENT = "Student engagement"
MULTILINGUAL = "Multilingual learners"
EQUITY = "Equity and inclusion"
PLANNING = "Instructional planning"
FAMILY = "Family engagement"
TECHNOLOGY = "Technology integration"
DIFFERENTIATION = "Differentiation"
SEL = "Social-emotional learning"
FOCUS_AREAS = [ASSESSMENT, CLASSROOM, ENGAGEMENT, MULTILINGUAL, EQUITY, PLANNING, FAMILY,
               TECHNOLOGY, DIFFERENTIATION, SEL]


@dataclass(frozen=True)
class Position:
    """A kind of job at a school level, with how often it occurs there."""

    titles: tuple          # one is picked; "{grade}" is replaced by the grade's name
    subjects: tuple
    weight: float
    grade_span: tuple = (1, 3)   # how many consecutive grades; None: the whole level
    focus: tuple = ()            # focus areas people in this job tend to be experts in
    min_years: int = 0
    speaks: tuple = ()           # languages the job needs, one of them is picked
    homeroom: bool = False       # one grade, all core subjects (elementary)


CORE = (ELA, MATH, SCIENCE, SOCIAL)
POSITIONS = {
    ELEMENTARY: [
        Position(("{grade} Teacher",), CORE, 12, (1, 1), (CLASSROOM, SEL, FAMILY),
                 homeroom=True),
        Position(("Special Education Teacher", "Resource Specialist"), (SPED, ELA, MATH), 2,
                 (2, 4), (DIFFERENTIATION, SEL, FAMILY)),
        Position(("ESL Teacher",), (ESL, ELA), 1.5, None, (MULTILINGUAL, FAMILY, EQUITY)),
        Position(("Reading Specialist",), (ELA,), 0.8, (2, 4), (ASSESSMENT, DIFFERENTIATION),
                 min_years=5),
        Position(("Art Teacher",), (ART,), 0.6, None, (ENGAGEMENT,)),
        Position(("Music Teacher",), (MUSIC,), 0.6, None, (ENGAGEMENT,)),
        Position(("Physical Education Teacher",), (PE,), 0.6, None, (CLASSROOM, SEL)),
        Position(("Instructional Coach",), (ELA, MATH), 0.4, None, (PLANNING, ASSESSMENT),
                 min_years=8),
    ],
    MIDDLE: [
        Position(("English Language Arts Teacher",), (ELA,), 4, (1, 2),
                 (ENGAGEMENT, ASSESSMENT)),
        Position(("Mathematics Teacher", "Pre-Algebra Teacher"), (MATH,), 4, (1, 2),
                 (ASSESSMENT, DIFFERENTIATION)),
        Position(("Science Teacher",), (SCIENCE,), 3.5, (1, 2), (ENGAGEMENT, PLANNING)),
        Position(("Social Studies Teacher",), (SOCIAL,), 3, (1, 2), (EQUITY, ENGAGEMENT)),
        Position(("Special Education Teacher",), (SPED,), 2, (1, 3), (DIFFERENTIATION, SEL)),
        Position(("ESL Teacher",), (ESL, ELA), 1.2, None, (MULTILINGUAL, EQUITY)),
        Position(("Spanish Teacher",), (WORLD_LANGUAGES,), 0.8, None, (MULTILINGUAL,),
                 speaks=(Language.SPANISH,)),
        Position(("Art Teacher",), (ART,), 0.6, None, (ENGAGEMENT,)),
        Position(("Band Director", "Choir Teacher"), (MUSIC,), 0.6, None, (ENGAGEMENT,)),
        Position(("Physical Education Teacher",), (PE,), 1, None, (CLASSROOM, SEL)),
        Position(("Computer Science Teacher",), (CS, MATH), 0.5, (1, 3), (TECHNOLOGY,)),
        Position(("Instructional Coach",), (ELA, MATH, SCIENCE), 0.3, None,
                 (PLANNING, ASSESSMENT), min_years=8),
    ],
    HIGH: [
        Position(("English Teacher", "AP English Literature Teacher"), (ELA,), 4, (1, 2),
                 (ENGAGEMENT, ASSESSMENT)),
        Position(("Algebra I Teacher", "Geometry Teacher", "Calculus Teacher",
                  "Mathematics Teacher"), (MATH,), 4, (1, 3), (ASSESSMENT, DIFFERENTIATION)),
        Position(("Biology Teacher", "Chemistry Teacher", "Physics Teacher"), (SCIENCE,), 3.5,
                 (1, 3), (ENGAGEMENT, PLANNING)),
        Position(("U.S. History Teacher", "World History Teacher", "Government Teacher"),
                 (SOCIAL,), 3, (1, 2), (EQUITY, ENGAGEMENT)),
        Position(("Special Education Teacher",), (SPED,), 2, (2, 4), (DIFFERENTIATION, SEL)),
        Position(("ESL Teacher",), (ESL, ELA), 1.2, None, (MULTILINGUAL, EQUITY)),
        Position(("Spanish Teacher", "French Teacher", "Mandarin Chinese Teacher"),
                 (WORLD_LANGUAGES,), 1.2, (2, 4), (MULTILINGUAL,),
                 speaks=(Language.SPANISH, Language.FRENCH, Language.CHINESE)),
        Position(("Art Teacher",), (ART,), 0.6, None, (ENGAGEMENT,)),
        Position(("Band Director", "Choir Teacher"), (MUSIC,), 0.6, None, (ENGAGEMENT,)),
        Position(("Physical Education Teacher",), (PE,), 1, None, (CLASSROOM, SEL)),
        Position(("Computer Science Teacher",), (CS,), 0.8, (2, 4), (TECHNOLOGY,)),
        Position(("Instructional Coach",), (ELA, MATH, SCIENCE, SOCIAL), 0.3, None,
                 (PLANNING, ASSESSMENT), min_years=8),
    ],
}

FIRST_NAMES = [
    "Aaliyah", "Aisha", "Alejandro", "Amanda", "Amir", "Ana", "Andre", "Angela", "Anh",
    "Benjamin", "Brandon", "Brianna", "Carlos", "Catherine", "Chloe", "Christopher", "Daniel",
    "Daniela", "David", "Deborah", "Derek", "Diego", "Emily", "Eric", "Fatima", "Gabriel",
    "Grace", "Hannah", "Hector", "Isabel", "Jacob", "Jamal", "Jasmine", "Jennifer", "Jessica",
    "Jin", "José", "Joshua", "Julia", "Karen", "Keisha", "Kevin", "Laura", "Linh", "Lucia",
    "Malik", "Maria", "Megan", "Mei", "Michael", "Michelle", "Min-jun", "Nadia", "Natalie",
    "Nicole", "Omar", "Patrick", "Priya", "Rachel", "Rafael", "Rebecca", "Ricardo", "Robert",
    "Samuel", "Sarah", "Sofia", "Stephanie", "Tamika", "Thomas", "Tyler", "Valeria",
    "Victoria", "Wei", "William", "Yasmin", "Zoe",
]
# Last names, with the language a family of that name may also speak at home.
LAST_NAMES = [
    ("Adams", None), ("Ahmed", Language.ARABIC), ("Alvarez", Language.SPANISH),
    ("Anderson", None), ("Baker", None), ("Bennett", None), ("Brooks", None),
    ("Campbell", None), ("Castillo", Language.SPANISH), ("Chen", Language.CHINESE),
    ("Clark", None), ("Collins", None), ("Cruz", Language.SPANISH), ("Davis", None),
    ("Diaz", Language.SPANISH), ("Evans", None), ("Flores", Language.SPANISH),
    ("Foster", None), ("Garcia", Language.SPANISH), ("Gonzalez", Language.SPANISH),
    ("Green", None), ("Hall", None), ("Harris", None), ("Hassan", Language.ARABIC),
    ("Hernandez", Language.SPANISH), ("Hughes", None), ("Jackson", None), ("Johnson", None),
    ("Kim", Language.KOREAN), ("King", None), ("Le", Language.VIETNAMESE), ("Lee", None),
    ("Lewis", None), ("Liu", Language.CHINESE), ("Lopez", Language.SPANISH),
    ("Martinez", Language.SPANISH), ("Mitchell", None), ("Moore", None),
    ("Morales", Language.SPANISH), ("Murphy", None), ("Nelson", None),
    ("Nguyen", Language.VIETNAMESE), ("O'Brien", None), ("Okafor", None), ("Park", Language.KOREAN),
    ("Patel", None), ("Perez", Language.SPANISH), ("Phillips", None), ("Ramos", Language.SPANISH),
    ("Reyes", Language.SPANISH), ("Rivera", Language.SPANISH), ("Roberts", None),
    ("Robinson", None), ("Rodriguez", Language.SPANISH), ("Santos", Language.TAGALOG),
    ("Scott", None), ("Smith", None), ("Sullivan", None), ("Taylor", None), ("Thomas", None),
    ("Tran", Language.VIETNAMESE), ("Turner", None), ("Walker", None), ("Wang", Language.CHINESE),
    ("Washington", None), ("White", None), ("Williams", None), ("Wilson", None),
    ("Wright", None), ("Young", None), ("Zhang", Language.CHINESE),
]
# A second language spoken by someone whose name does not suggest one, and its odds.
OTHER_LANGUAGES = {
    Language.SPANISH: 50, Language.VIETNAMESE: 8, Language.CHINESE: 7, Language.ARABIC: 7,
    Language.TAGALOG: 5, Language.KOREAN: 4, Language.FRENCH: 6, Language.PORTUGUESE: 3,
    Language.RUSSIAN: 3, Language.HAITIAN_CREOLE: 2, Language.SOMALI: 2, Language.HMONG: 2,
    Language.AMERICAN_SIGN_LANGUAGE: 3,
}
# How the staff spread over career stages, in percent.
STAGE_WEIGHTS = {CareerStage.NEW: 12, CareerStage.EARLY: 22, CareerStage.ESTABLISHED: 28,
                 CareerStage.EXPERIENCED: 38}
MAX_YEARS = 30


@dataclass(frozen=True)
class StaffSpec:
    """Everything the seed decides about one person; compared with the database to sync."""

    email: str
    display_name: str
    school_code: str | None
    job_title: str
    years_of_experience: int
    grades_taught: tuple = ()
    languages: tuple = (Language.ENGLISH,)
    subjects: tuple = ()
    expertise: tuple = ()


@dataclass(frozen=True)
class AccountSpec:
    role: str                 # shown in the accounts table
    email: str
    display_name: str
    staff: StaffSpec | None = None        # None: no district, no staff profile
    district_role: str | None = None      # DistrictRole.Role
    superuser: bool = False
    two_factor: bool = False


DEMO_ACCOUNTS = [
    AccountSpec(
        "District admin", "district.admin@riverside.example.org", "Dana Whitfield",
        StaffSpec("district.admin@riverside.example.org", "Dana Whitfield", None,
                  "Director of Professional Learning", 18, (), ("en",), (ELA,),
                  (PLANNING, ASSESSMENT, EQUITY)),
        district_role=DistrictRole.Role.DISTRICT_ADMIN, two_factor=True,
    ),
    AccountSpec(
        "School admin", "school.admin@riverside.example.org", "Marcus Bell",
        StaffSpec("school.admin@riverside.example.org", "Marcus Bell", "201", "Principal", 16,
                  (), ("en",), (SOCIAL,), (CLASSROOM, FAMILY, SEL)),
        district_role=DistrictRole.Role.SCHOOL_ADMIN, two_factor=True,
    ),
    AccountSpec(
        "Teacher (mentor)", "mentor@riverside.example.org", "Elena Ramirez",
        StaffSpec("mentor@riverside.example.org", "Elena Ramirez", "201", "Mathematics Teacher",
                  14, ("07", "08"), ("en", "es"), (MATH,),
                  (CLASSROOM, ASSESSMENT, MULTILINGUAL, DIFFERENTIATION)),
    ),
    AccountSpec(
        "New teacher (mentee)", "mentee@riverside.example.org", "Jordan Lee",
        StaffSpec("mentee@riverside.example.org", "Jordan Lee", "201", "Mathematics Teacher", 0,
                  ("07",), ("en",), (MATH,), ()),
    ),
    AccountSpec(
        "Operator (superuser)", "operator@example.org", "Platform Operator",
        superuser=True, two_factor=True,
    ),
]
