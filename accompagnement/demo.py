"""The demo year: staff accounts, about a thousand people and several thousand appointments that look
like a real year of a Walloon integration centre (``manage.py load_demo``).

Rows are written with ``bulk_create`` for speed, which bypasses django-auditlog (fine for a demo) and the
services; the generator therefore applies the same normalisation the services do: ``search_text`` from
``person_search_text``, national and BIS numbers valid for the birth date and sex (checked with
``check_national_number``), appointments with at least one request type, an office, and an interpreter
service whenever an interpreter language is set.

What counts as demo data: the staff accounts below, and the people who have an appointment with one of
the demo counsellors (every generated person has at least one). ``--reset`` deletes those people (their
appointments go with them) and builds the year again; people recorded by hand without such an
appointment are kept.
"""

import datetime as dt
import importlib
import math
import random
import time
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from dateutil.easter import easter
from django.apps import apps as django_apps
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from faker import Faker

from cai.choices import Role
from cai.models import User
from cai.twofactor import issue_recovery_codes

from .choices import AppointmentMode, InterpreterService, Referral, ResidenceCard, Sex
from .models import Appointment, Commune, EsfActionType, Language, Office, Person, RequestType
from .numbers import check_national_number
from .text import fold, person_search_text

DEMO_PASSWORD = "demo-cai-2026!"  # noqa: S105 - printed on purpose: demo credentials only
BRUSSELS = ZoneInfo("Europe/Brussels")
DAY_START = dt.time(9, 0)
QUARTERS_PER_DAY = 32  # 9:00-17:00 in quarter hours
PLANNED_DAYS_AHEAD = 28  # appointments already booked beyond today


# --- Staff ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffAccount:
    username: str
    first_name: str
    last_name: str
    role: str
    offices: tuple[str, ...] = ()  # office slugs (counsellors)
    commune: str = ""  # commune name (commune agents)
    path_coordination: bool = False
    superuser: bool = False
    printed: bool = False  # one account per role is printed with its recovery code


STAFF = [
    StaffAccount("conseiller", "Camille", "Lejeune", Role.COUNSELLOR, ("namur", "gembloux"), printed=True),
    StaffAccount("conseiller.dinant", "Thomas", "Dumont", Role.COUNSELLOR, ("dinant",), printed=True),
    StaffAccount("coordination", "Sarah", "Hermans", Role.COORDINATOR, path_coordination=True, printed=True),
    StaffAccount("direction", "Isabelle", "Renard", Role.DIRECTOR, printed=True),
    StaffAccount("commune.namur", "Marc", "Collignon", Role.COMMUNE_AGENT, commune="Namur", printed=True),
    StaffAccount("admin", "Nathalie", "Jacquet", Role.ADMIN, superuser=True, printed=True),
    StaffAccount("conseiller.namur", "Youssef", "El Amrani", Role.COUNSELLOR, ("namur",)),
    StaffAccount("conseiller.sambreville", "Laura", "Piette", Role.COUNSELLOR, ("sambreville",)),
    StaffAccount("conseiller.ciney", "Julien", "Marchal", Role.COUNSELLOR, ("ciney",)),
    StaffAccount("conseiller.andenne", "Aline", "Mukendi", Role.COUNSELLOR, ("andenne",)),
    StaffAccount("conseiller.philippeville", "Kevin", "Delvaux", Role.COUNSELLOR, ("philippeville",)),
    StaffAccount("conseiller.beauraing", "Sophie", "Lambotte", Role.COUNSELLOR, ("beauraing",)),
    StaffAccount("coordination.formations", "Pierre", "Goffin", Role.COORDINATOR),
    StaffAccount("coordination.plateformes", "Amina", "Diallo", Role.COORDINATOR),
    StaffAccount("coordination.antiracisme", "Olivier", "Henrard", Role.COORDINATOR),
]
COUNSELLOR_USERNAMES = [account.username for account in STAFF if account.role == Role.COUNSELLOR]
DEMO_COUNSELLOR = "conseiller"


@dataclass
class PrintedAccount:
    username: str
    role: str
    scope: str
    recovery_code: str


def ensure_staff() -> dict[str, User]:
    """Create or refresh the demo staff (same rows on every run): role, offices, commune, demo password."""
    password = make_password(DEMO_PASSWORD)  # hashed once: Argon2 is slow on purpose
    offices = {office.slug: office for office in Office.objects.all()}
    users = {}
    for account in STAFF:
        user, _ = User.objects.get_or_create(username=account.username)
        user.first_name, user.last_name = account.first_name, account.last_name
        user.email = f"{account.username}@example.org"
        user.role = account.role
        user.path_coordination = account.path_coordination
        user.is_staff = user.is_superuser = account.superuser
        user.is_active = True
        user.password = password
        user.save()
        for slug in account.offices:
            offices[slug].staff.add(user)
        if account.commune:
            Commune.objects.get(name=account.commune).agents.add(user)
        users[account.username] = user
    return users


def printed_accounts(users: dict[str, User]) -> list[PrintedAccount]:
    """One account per role with a fresh single-use recovery code (codes are consumed when used)."""
    rows = []
    for account in STAFF:
        if not account.printed:
            continue
        user = users[account.username]
        scope = ", ".join(sorted(o.name for o in user.offices.all())) or account.commune or "—"
        code = issue_recovery_codes(user)[0]
        rows.append(PrintedAccount(account.username, Role(account.role).label, scope, code))
    return rows


def demo_data_exists() -> bool:
    return Appointment.objects.filter(counsellor__username__in=COUNSELLOR_USERNAMES).exists()


def demo_people():
    """The people the demo generated: those with an appointment with a demo counsellor."""
    appointments = Appointment.objects.filter(counsellor__username__in=COUNSELLOR_USERNAMES)
    return Person.objects.filter(pk__in=appointments.values("person_id"))


def delete_demo_data() -> int:
    """Delete the demo people (their appointments cascade). Raises ``ProtectedError`` when another
    record still needs one of them."""
    from auditlog.context import disable_auditlog

    with disable_auditlog():
        deleted, _ = demo_people().delete()
    return deleted


# --- Reference tables of the generator ----------------------------------------------------------

# (ISO code, relative weight, name pool, languages: first is the main one). Weights follow the
# CAI's yearly figures roughly: Syria, Afghanistan, Ukraine, DR Congo, Morocco and Eritrea first.
NON_EU_COUNTRIES = [
    ("SY", 90, "arabic", ["ar", "ku"]),
    ("AF", 80, "afghan", ["prs", "ps"]),
    ("UA", 70, "slavic", ["uk", "ru"]),
    ("CD", 55, "central_africa", ["fr", "ln", "lu", "sw"]),
    ("MA", 55, "maghreb", ["ar-ma", "ber", "fr"]),
    ("ER", 45, "horn", ["ti", "ar"]),
    ("CM", 35, "central_africa", ["fr", "en"]),
    ("GN", 35, "west_africa", ["fr", "ff"]),
    ("IQ", 30, "arabic", ["ar", "ku"]),
    ("TR", 30, "turkish", ["tr", "ku"]),
    ("PS", 25, "arabic", ["ar"]),
    ("SO", 20, "somali", ["so", "ar"]),
    ("DZ", 20, "maghreb", ["ar", "ber", "fr"]),
    ("BI", 18, "great_lakes", ["rn", "fr", "sw"]),
    ("RW", 15, "great_lakes", ["rw", "fr", "en"]),
    ("GE", 15, "caucasus", ["ka", "ru"]),
    ("RU", 15, "slavic", ["ru"]),
    ("BR", 15, "faker:pt_BR", ["pt"]),
    ("IR", 15, "persian", ["fa"]),
    ("TN", 15, "maghreb", ["ar", "fr"]),
    ("SN", 15, "west_africa", ["wo", "fr", "ff"]),
    ("CI", 12, "west_africa", ["fr"]),
    ("CG", 10, "central_africa", ["fr", "ln", "kg"]),
    ("SD", 10, "arabic", ["ar"]),
    ("ET", 10, "horn", ["am", "om"]),
    ("EG", 8, "arabic", ["ar"]),
    ("TG", 8, "west_africa", ["fr"]),
    ("NG", 8, "west_africa_en", ["en", "yo", "ig", "ha"]),
    ("PK", 8, "pakistani", ["ur", "pa", "en"]),
    ("IN", 8, "indian", ["hi", "en"]),
    ("AM", 8, "caucasus", ["hy", "ru"]),
    ("AL", 8, "balkan", ["sq"]),
    ("ML", 6, "west_africa", ["bm", "fr"]),
    ("BJ", 6, "west_africa", ["fr"]),
    ("AO", 6, "central_africa", ["pt", "ln"]),
    ("YE", 6, "arabic", ["ar"]),
    ("LB", 6, "arabic", ["ar", "fr"]),
    ("CO", 6, "faker:es_CO", ["es"]),
    ("VE", 6, "faker:es_MX", ["es"]),
    ("BF", 5, "west_africa", ["fr"]),
    ("GH", 5, "west_africa_en", ["en"]),
    ("CN", 5, "chinese", ["zh"]),
    ("NE", 4, "west_africa", ["ha", "fr"]),
    ("GA", 4, "central_africa", ["fr"]),
    ("TD", 4, "central_africa", ["fr", "ar"]),
    ("CF", 4, "central_africa", ["fr"]),
    ("MG", 4, "great_lakes", ["mg", "fr"]),
    ("LY", 4, "arabic", ["ar"]),
    ("BY", 4, "slavic", ["ru"]),
    ("MD", 4, "slavic", ["ro", "ru"]),
    ("RS", 4, "balkan", ["sr"]),
    ("GB", 4, "faker:en_GB", ["en"]),
    ("SS", 3, "horn", ["ar", "en"]),
    ("DJ", 3, "somali", ["so", "fr", "ar"]),
    ("KE", 3, "great_lakes", ["sw", "en"]),
    ("UG", 3, "great_lakes", ["en", "sw"]),
    ("JO", 3, "arabic", ["ar"]),
    ("BD", 3, "pakistani", ["bn"]),
    ("NP", 3, "indian", ["ne"]),
    ("VN", 3, "vietnamese", ["vi"]),
    ("PH", 3, "filipino", ["tl", "en"]),
    ("AZ", 3, "turkish", ["tr", "ru"]),
    ("MK", 3, "balkan", ["mk", "sq"]),
    ("BA", 3, "balkan", ["bs"]),
    ("PE", 3, "faker:es_MX", ["es"]),
    ("EC", 3, "faker:es_CO", ["es"]),
    ("CU", 3, "faker:es_MX", ["es"]),
    ("HT", 3, "faker:fr_FR", ["fr"]),
    ("TZ", 2, "great_lakes", ["sw", "en"]),
    ("MU", 2, "faker:fr_FR", ["fr", "en"]),
    ("LK", 2, "indian", ["ta"]),
    ("TH", 2, "thai", ["th"]),
    ("KZ", 2, "central_asian", ["kk", "ru"]),
    ("UZ", 2, "central_asian", ["uz", "ru"]),
    ("TJ", 2, "persian", ["tg", "ru"]),
    ("MN", 2, "mongolian", ["mn"]),
    ("BO", 2, "faker:es_MX", ["es"]),
    ("DO", 2, "faker:es_MX", ["es"]),
    ("MX", 2, "faker:es_MX", ["es"]),
    ("AR", 2, "faker:es_AR", ["es"]),
    ("CL", 2, "faker:es_CL", ["es"]),
    ("US", 2, "faker:en_US", ["en"]),
    ("CA", 1, "faker:en_US", ["en", "fr"]),
    ("CH", 1, "faker:de_CH", ["de", "fr"]),
    ("KG", 1, "central_asian", ["ru"]),
    ("JP", 1, "japanese", ["ja"]),
    ("KR", 1, "korean", ["ko"]),
]
EU_COUNTRIES = [
    ("RO", 20, "faker:ro_RO", ["ro"]),
    ("FR", 12, "faker:fr_FR", ["fr"]),
    ("IT", 10, "faker:it_IT", ["it"]),
    ("ES", 8, "faker:es_ES", ["es"]),
    ("PT", 8, "faker:pt_PT", ["pt"]),
    ("PL", 8, "faker:pl_PL", ["pl"]),
    ("BG", 6, "bulgarian", ["bg"]),
    ("NL", 5, "faker:nl_NL", ["nl"]),
    ("DE", 4, "faker:de_DE", ["de"]),
    ("GR", 3, "greek", ["en"]),
    ("HU", 2, "faker:hu_HU", ["en"]),
    ("SK", 2, "faker:sk_SK", ["en"]),
    ("LU", 1, "faker:de_LU", ["fr", "de"]),
    ("CZ", 1, "faker:cs_CZ", ["en"]),
    ("HR", 1, "faker:hr_HR", ["en"]),
    ("LT", 1, "faker:lt_LT", ["ru", "en"]),
    ("LV", 1, "faker:lv_LV", ["ru", "en"]),
    ("SE", 1, "faker:sv_SE", ["en"]),
    ("SI", 0.5, "faker:sl_SI", ["en"]),
    ("EE", 0.5, "faker:et_EE", ["en"]),
    ("FI", 0.5, "faker:fi_FI", ["en"]),
    ("DK", 0.5, "faker:da_DK", ["en"]),
    ("AT", 0.5, "faker:de_AT", ["de"]),
    ("IE", 0.5, "faker:en_IE", ["en"]),
]
EU_CODES = {country[0] for country in EU_COUNTRIES}
BELGIAN = [("BE", 1, "faker:fr_BE", ["fr"])]
STATELESS = [("XX", 1, "arabic", ["ar", "ku"])]
# Share of each origin group (the report's Hors UE / UE / Belges / Apatrides).
ORIGIN_GROUPS = [(NON_EU_COUNTRIES, 0.88), (EU_COUNTRIES, 0.08), (BELGIAN, 0.03), (STATELESS, 0.01)]
# Where people of a nationality were often born, when not in that country.
OTHER_BIRTH_COUNTRIES = {
    "SY": ["LB", "TR", "JO"],
    "AF": ["IR", "PK"],
    "ER": ["ET", "SD"],
    "PS": ["SY", "LB", "JO"],
    "SO": ["KE", "ET"],
    "BE": ["MA", "CD", "TR", "IT", "DZ"],
    "XX": ["SY", "LB", "KW", "IQ", "RU"],
}

# Latin transliterations, as a commune's population register writes them.
NAMES = {
    "arabic": (
        "Mohammed Ahmad Omar Khaled Youssef Hassan Ali Mahmoud Rami Bilal Samer Tarek Ibrahim Mustafa Walid Fadi Karim Hussein Ammar Anas",
        "Fatima Aisha Mariam Rania Layla Nour Hiba Yasmin Amal Lina Rasha Hala Zeinab Dima Sara Reem Salma Noura",
        "Al-Hassan Haddad Khalil Al-Ahmad Nasser Saleh Darwish Hamdan Al-Khatib Mansour Othman Qasim Al-Jabouri Abboud "
        "Barakat Al-Masri Hijazi Shami Kanaan Al-Sayed Hammoud Alloush",
    ),
    "maghreb": (
        "Mohamed Youssef Rachid Said Karim Hamza Mehdi Nabil Abdelkader Soufiane Yassine Ayoub Anouar Mounir Hicham",
        "Fatima-Zahra Khadija Naima Samira Houda Imane Salma Meryem Nadia Siham Loubna Asmae",
        "El_Amrani Benali Bouzid El_Idrissi Alaoui Benjelloun Chaoui Haddou Tazi Ouazzani El_Khattabi Boukhari "
        "Mansouri Belkacem Zerrouki Saidi Hamdi Trabelsi Jaziri Ait_Ouali",
    ),
    "afghan": (
        "Ahmad Mohammad Abdul Farid Hamid Jawad Khalid Mustafa Naveed Rahim Sayed Shafiq Wahid Zabihullah Nasir Habib",
        "Fereshta Maryam Nargis Parwana Shabana Soraya Zahra Marzia Mursal Nazanin Roya Shukria Zarghona",
        "Ahmadi Hakimi Hussaini Karimi Mohammadi Noori Rahimi Rezaei Sadat Safi Sultani Wardak Popal Stanikzai "
        "Amiri Haidari Jafari Nazari Yousufzai",
    ),
    "persian": (
        "Amir Reza Mehdi Hossein Ali Babak Dariush Farhad Kaveh Omid Saeed Arash",
        "Shirin Parisa Leila Mahsa Neda Roya Sahar Taraneh Yasaman Ziba Golnar",
        "Hosseini Moradi Rostami Tehrani Jafari Karimi Sadeghi Shirazi Ebrahimi Rahmani Ghorbani Bahrami",
    ),
    "pakistani": (
        "Imran Asif Bilal Faisal Tariq Kamal Usman Hamza Zubair",
        "Ayesha Fatima Nusrat Farzana Sabina Hina Sadia",
        "Khan Hussain Iqbal Malik Chowdhury Rahman Ahmed Butt Qureshi",
    ),
    "indian": (
        "Rahul Arjun Vikram Rajesh Sanjay Suresh Anil Rohan Nabin",
        "Priya Anjali Sunita Kavya Deepa Shreya Meena",
        "Sharma Patel Singh Kumar Gurung Perera Fernando Shrestha Das Reddy",
    ),
    "horn": (
        "Yonas Dawit Tesfaye Berhane Mehari Samuel Henok Filmon Kidane Abraham Tewolde Yohannes",
        "Senait Helen Selam Mebrat Saba Winta Ruth Tsega Hiwet Luwam Feven Eden Freweini",
        "Tesfamariam Gebremedhin Haile Kidane Berhe Tekle Ghebremichael Woldemariam Negash Mengistu Abraha "
        "Gebreyesus Asfaha Teklehaimanot Yemane",
    ),
    "somali": (
        "Abdi Abdirahman Mohamed Ahmed Hassan Ismail Mahad Farah Liban Yusuf Abdullahi",
        "Hodan Fadumo Amina Hawa Sahra Ifrah Asha Ubah Khadra Ayan Nimco",
        "Abdi Warsame Farah Jama Hirsi Osman Aden Mohamud Ali Nur Egal Dirie Guled",
    ),
    "central_africa": (
        "Jean-Pierre Patrick Christian Didier Fabrice Cédric Blaise Emmanuel Joël Guy Serge Junior Eric Claude "
        "Gloire Prince Olivier Arsène",
        "Grâce Esther Chantal Aline Nadège Clarisse Divine Josiane Ruth Gisèle Bénédicte Sandrine Joëlle Patience "
        "Solange Merveille",
        "Mbuyi Tshibangu Ilunga Kabongo Mukendi Lukusa Nzeza Mputu Kalala Mulamba Tshimanga Kasongo Fotso Kamga "
        "Tchoumi Nguema Mbarga Ngoma Makaya Malonga Mavinga Ntumba Lumbu Mayala",
    ),
    "great_lakes": (
        "Jean-Claude Emmanuel Eric Innocent Olivier Patrick Alexis Fidèle Théogène Janvier Célestin Aimable",
        "Alice Claudine Diane Grâce Immaculée Jeanne Francine Espérance Vestine Aline Clémentine Béatrice",
        "Nkurunziza Ndayishimiye Niyonzima Habimana Uwimana Mugisha Nshimiyimana Bizimana Hakizimana Irakoze "
        "Ndikumana Nsengiyumva Uwase Mukamana Ingabire Kamau Otieno Mwangi Okello Rakoto",
    ),
    "west_africa": (
        "Mamadou Ibrahima Ousmane Abdoulaye Moussa Alpha Souleymane Amadou Boubacar Sekou Lamine Yao Koffi Issa",
        "Aissatou Fatoumata Mariama Kadiatou Aminata Hawa Binta Ramatoulaye Awa Abla Mariam",
        "Diallo Barry Bah Sow Camara Touré Traoré Keita Coulibaly Diop Ndiaye Fall Konaté Sylla Condé Kouassi "
        "Koné Ouédraogo Agbodjan Adjovi Issoufou",
    ),
    "west_africa_en": (
        "Chinedu Emeka Kwame Kofi Oluwaseun Tunde Kwabena Yaw",
        "Ngozi Chioma Akosua Adjoa Abena Funmilayo Amara",
        "Okafor Adeyemi Boateng Mensah Owusu Asante Okonkwo Eze Adebayo",
    ),
    "slavic": (
        "Oleksandr Andrii Dmytro Serhii Volodymyr Mykola Ivan Yurii Artem Maksym Aleksei Sergei Dmitri Igor Vadim "
        "Pavel Roman",
        "Olena Iryna Nataliia Tetiana Oksana Yuliia Svitlana Kateryna Anastasiia Mariia Olga Elena Natalia "
        "Tatiana Anna Viktoriia Daria",
        "Shevchenko Kovalenko Bondarenko Tkachenko Kravchenko Melnyk Boiko Kovalchuk Oliinyk Marchenko Ivanov "
        "Petrov Smirnov Kuznetsov Popov Sokolov Volkov Lysenko Rudenko Savchenko Moroz",
    ),
    "turkish": (
        "Mehmet Mustafa Ahmet Ali Hüseyin Hasan Murat Emre Burak Yusuf Serkan Orhan",
        "Ayşe Fatma Emine Hatice Zeynep Elif Merve Büşra Esra Derya Gül Sevgi",
        "Yılmaz Kaya Demir Şahin Çelik Yıldız Aydın Öztürk Arslan Doğan Kılıç Aslan Polat Kurt Aliyev Mammadov",
    ),
    "caucasus": (
        "Giorgi Davit Levan Nika Irakli Zurab Aram Armen Tigran Hayk Gor Vardan",
        "Nino Tamar Mariam Ketevan Natia Eka Ani Lusine Anahit Gayane Nune",
        "Beridze Kapanadze Gelashvili Maisuradze Lomidze Tsiklauri Giorgadze Hovhannisyan Harutyunyan Sargsyan "
        "Grigoryan Petrosyan Khachatryan Avetisyan",
    ),
    "balkan": (
        "Arben Besnik Ilir Gentian Dritan Marko Nikola Stefan Dejan Emir Amir Adnan",
        "Elira Blerta Arta Jelena Milica Ana Marija Amra Selma Lejla Ardita Dragana",
        "Hoxha Krasniqi Berisha Gashi Shehu Kola Jovanović Petrović Nikolić Stojanovski Hodžić Begić "
        "Mehmedović Kovačević",
    ),
    "bulgarian": (
        "Georgi Ivan Dimitar Nikolay Petar Hristo Stoyan",
        "Maria Ivanka Elena Yordanka Desislava Petya Gergana",
        "Ivanov Georgiev Dimitrov Petrov Nikolov Hristov Stoyanov Todorov",
    ),
    "greek": (
        "Georgios Dimitrios Konstantinos Ioannis Nikolaos Christos",
        "Maria Eleni Aikaterini Vasiliki Sofia Georgia",
        "Papadopoulos Georgiou Nikolaidis Papadakis Vlachos Oikonomou Karagiannis",
    ),
    "chinese": ("Wei Jun Hao Lei Ming Jian", "Li Xiu Mei Yan Jing Fang", "Wang Li Zhang Liu Chen Yang Zhao"),
    "vietnamese": ("Minh Tuan Hung Duc Quang", "Lan Thu Huong Mai Linh", "Nguyen Tran Le Pham Hoang Vu"),
    "filipino": (
        "Jose Mark Paolo Rodel",
        "Maria Kristine Joy Rowena",
        "Santos Reyes Cruz Bautista Garcia Mendoza",
    ),
    "thai": ("Somchai Anan Niran", "Siriporn Malee Nittaya", "Srisuk Wongsawat Chaiyaporn Boonmee"),
    "japanese": ("Haruto Kenji Takashi", "Yuki Aiko Haruka", "Sato Suzuki Takahashi Tanaka"),
    "korean": ("Minho Jihoon Seojun", "Jiyeon Soojin Minji", "Kim Lee Park Choi Jung"),
    "mongolian": (
        "Bat-Erdene Ganbold Temuulen",
        "Oyunchimeg Enkhjargal Sarangerel",
        "Batbayar Ganbaatar Dorj",
    ),
    "central_asian": (
        "Rustam Farrukh Timur Bakhtiyor Nurlan",
        "Dilnoza Gulnara Madina Aigerim Zarina",
        "Karimov Rakhimov Nazarov Abdullaev Tursunov Akhmetov",
    ),
}
NAME_POOLS = {  # "_" joins the words of one name
    key: tuple([name.replace("_", " ") for name in part.split()] for part in parts)
    for key, parts in NAMES.items()
}

STREETS = (
    "de la Gare|de l'Église|du Moulin|Saint-Nicolas|des Écoles|de Bruxelles|de Namur|de Dinant|Albert Ier|"
    "Reine Astrid|Émile Vandervelde|Joseph Wauters|des Combattants|du Centre|de la Station|Haute|des Champs|"
    "du Try|de Fer|des Carmes|de l'Industrie|de la Sambre|de la Meuse|des Tilleuls|du Château|de la Chapelle|"
    "Saint-Roch|des Peupliers|Notre-Dame|de la Libération|du Pont|des Prés|Général Jacques|de Gembloux|"
    "de Louvain|Godefroid|du Collège|Rogier|Léopold|de la Croix-Rouge"
).split("|")
STREET_KINDS = [("Rue", 70), ("Avenue", 10), ("Chaussée", 6), ("Place", 4), ("Boulevard", 4), ("Chemin", 6)]
PARTNERS = [
    "CPAS",
    "Croix-Rouge, centre d'accueil pour demandeurs d'asile",
    "Fedasil, centre de Belgrade",
    "Le Forem",
    "Lire et Écrire Namur",
    "Maison médicale",
    "Service social de l'école",
    "Agence immobilière sociale",
    "Service d'aide juridique de première ligne",
    "Initiative locale d'intégration (ILI)",
]
CARDS_NON_EU = [
    (ResidenceCard.A, 45),
    (ResidenceCard.B, 20),
    (ResidenceCard.F, 10),
    (ResidenceCard.ORANGE, 8),
    (ResidenceCard.ANNEX_15, 5),
    (ResidenceCard.C, 4),
    (ResidenceCard.H, 3),
    (ResidenceCard.F_PLUS, 2),
    (ResidenceCard.OTHER, 3),
]
CARDS_EU = [
    (ResidenceCard.E, 70),
    (ResidenceCard.E_PLUS, 20),
    (ResidenceCard.ANNEX_15, 5),
    (ResidenceCard.OTHER, 5),
]
CARD_VALIDITY_DAYS = {
    ResidenceCard.A: 365,
    ResidenceCard.B: 5 * 365,
    ResidenceCard.C: 5 * 365,
    ResidenceCard.E: 5 * 365,
    ResidenceCard.E_PLUS: 5 * 365,
    ResidenceCard.F: 5 * 365,
    ResidenceCard.F_PLUS: 5 * 365,
    ResidenceCard.H: 13 * 30,
    ResidenceCard.ORANGE: 4 * 30,
    ResidenceCard.ANNEX_15: 45,
}
# Share of the centre's people per office (Namur is the head office and the largest).
OFFICE_SHARES = {
    "namur": 0.35,
    "sambreville": 0.15,
    "gembloux": 0.12,
    "dinant": 0.10,
    "ciney": 0.08,
    "andenne": 0.08,
    "philippeville": 0.07,
    "beauraing": 0.05,
}
REQUEST_TYPE_WEIGHTS = {
    "parcours": 40,
    "sejour": 12,
    "demarches-administratives": 12,
    "emploi-isp": 10,
    "nationalite": 8,
    "logement": 8,
    "regroupement-familial": 6,
    "formation": 6,
    "sante": 5,
    "equivalence-diplome": 4,
    "autre": 3,
}
NOTES = {
    "parcours": [
        "Bilan social réalisé ; test de positionnement en français (ELAO) à planifier.",
        "Information sur les droits et devoirs donnée ; inscription à la prochaine séance SIDD.",
        "Entretien d'évaluation semestriel : la convention est respectée.",
        "Inscription au cours de français auprès d'une ILI, niveau A1 visé.",
        "Orientation vers une formation à l'intégration citoyenne (FIC) de 60 heures.",
        "Attestation de fréquentation préparée : parcours complet.",
    ],
    "sejour": [
        "Renouvellement de la carte de séjour : rendez-vous à la commune à prévoir.",
        "Explication du courrier de l'Office des étrangers.",
    ],
    "nationalite": ["Déclaration de nationalité : liste des documents remise."],
    "regroupement-familial": ["Démarches de regroupement familial expliquées ; documents à faire traduire."],
    "logement": ["Recherche de logement : orientation vers l'agence immobilière sociale."],
    "sante": ["Aide à l'affiliation à une mutualité.", "Orientation vers une maison médicale."],
    "emploi-isp": [
        "Orientation vers le Forem ; CV à mettre à jour.",
        "Préparation à un entretien d'embauche.",
    ],
    "equivalence-diplome": ["Dossier d'équivalence de diplôme préparé (Fédération Wallonie-Bruxelles)."],
    "formation": ["Recherche d'une formation qualifiante ; contact pris avec un opérateur."],
    "demarches-administratives": [
        "Aide pour un courrier de l'administration communale.",
        "Formulaire du CPAS complété.",
    ],
    "autre": ["Demande d'information générale."],
}
CONFIDENTIAL_NOTES = [
    "Situation familiale difficile ; à suivre avec le CPAS.",
    "Évoque des difficultés psychologiques ; orientation proposée vers un service de santé mentale.",
    "Dispense médicale en cours d'examen (certificat transmis).",
]
# Belgian mobile prefixes (04xx).
MOBILE_PREFIXES = [460, *range(465, 469), *range(470, 480), *range(483, 488), *range(491, 500)]
APPOINTMENTS_PER_PERSON = list(range(1, 13))
APPOINTMENTS_WEIGHTS = [22, 18, 15, 12, 9, 7, 5, 4, 3, 2, 2, 1]


# --- Helpers -------------------------------------------------------------------------------------


def belgian_holidays(year: int) -> set[dt.date]:
    """Public holidays in Belgium (offices are closed)."""
    easter_sunday = easter(year)
    fixed = [(1, 1), (5, 1), (7, 21), (8, 15), (11, 1), (11, 11), (12, 25)]
    # Easter Monday, Ascension, Whit Monday
    moving = [easter_sunday + dt.timedelta(days=days) for days in (1, 39, 50)]
    return {dt.date(year, month, day) for month, day in fixed} | set(moving)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in belgian_holidays(day.year)


def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    holidays = belgian_holidays(start.year) | belgian_holidays(end.year)
    days, day = [], start
    while day <= end:
        if day.weekday() < 5 and day not in holidays:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def national_number(birth_date: dt.date, serial: int, *, bis_offset: int = 0) -> str:
    """An NN (or BIS, month + 20/40) for a birth date and a serial (odd for men, even for women)."""
    base = f"{birth_date:%y}{birth_date.month + bis_offset:02d}{birth_date.day:02d}{serial:03d}"
    value = int(("2" if birth_date.year >= 2000 else "") + base)
    return f"{base}{97 - value % 97:02d}"


def allocate(total: int, shares: dict) -> dict:
    """Split ``total`` by ``shares`` (largest remainder); every key gets one when there are enough."""
    weight = sum(shares.values())
    exact = {key: total * share / weight for key, share in shares.items()}
    counts = {key: math.floor(value) for key, value in exact.items()}
    missing = total - sum(counts.values())
    for key in sorted(exact, key=lambda k: exact[k] - counts[k], reverse=True)[:missing]:
        counts[key] += 1
    if total >= len(shares):
        for key in shares:
            if counts[key] == 0:
                largest = max(counts, key=counts.get)
                counts[largest] -= 1
                counts[key] = 1
    return counts


def weighted_sample(rng: random.Random, items: list, weights: list, k: int) -> list:
    """``k`` distinct items, heavier ones more likely (Efraimidis-Spirakis)."""
    keyed = sorted(
        zip(items, weights, strict=True), key=lambda pair: rng.random() ** (1 / pair[1]), reverse=True
    )
    return [item for item, _ in keyed[:k]]


def pick(rng: random.Random, pairs):
    items, weights = zip(*pairs, strict=True)
    return rng.choices(items, weights=weights)[0]


def ascii_slug(text: str) -> str:
    return fold(text).replace(" ", ".")


# --- The generator -------------------------------------------------------------------------------


@dataclass
class DemoReport:
    created: bool
    people: int = 0
    appointments: int = 0
    nationalities: int = 0
    seconds: float = 0.0
    accounts: list[PrintedAccount] = field(default_factory=list)
    extensions: list[str] = field(default_factory=list)


class DemoYear:
    """Builds the people and appointments of one year in memory, then writes them in bulk."""

    def __init__(self, *, people: int, seed: int, year: int, staff: dict[str, User], today: dt.date):
        self.count = people
        self.rng = random.Random(seed)
        self.seed = seed
        self.year = year
        self.today = today
        # People's dates are relative to the anchor: today in the current year, else the year's last day.
        self.anchor = min(today, dt.date(year, 12, 31))
        last_day = dt.date(year, 12, 31)
        if year == today.year:
            last_day = min(last_day, today + dt.timedelta(days=PLANNED_DAYS_AHEAD))
        self.days = working_days(dt.date(year, 1, 1), last_day)
        self.fakers: dict[str, Faker] = {}
        self.offices = {office.slug: office for office in Office.objects.all()}
        self.communes = {}
        for commune in Commune.objects.filter(office__isnull=False).select_related("office"):
            self.communes.setdefault(commune.office.slug, []).append(commune)
        self.languages = {language.code: language for language in Language.objects.all()}
        self.request_types = list(RequestType.objects.filter(active=True))
        self.esf_types = list(EsfActionType.objects.filter(active=True))
        self.counsellors: dict[int, list[User]] = {}
        for account in STAFF:
            for slug in account.offices:
                self.counsellors.setdefault(self.offices[slug].pk, []).append(staff[account.username])
        self.demo_counsellor = staff[DEMO_COUNSELLOR]
        self.taken_numbers = set(
            Person.objects.exclude(national_number=None).values_list("national_number", flat=True)
        )
        self.busy: dict[tuple[int, dt.date], set[int]] = {}  # quarters taken per counsellor and day
        self.booked: dict[tuple[int, dt.date], int] = {}  # appointments per counsellor and day
        self.now = timezone.now()

    # People

    def faker(self, locale: str) -> Faker:
        if locale not in self.fakers:
            self.fakers[locale] = Faker(locale)
            self.fakers[locale].seed_instance(self.seed + len(self.fakers))
        return self.fakers[locale]

    def nationalities(self) -> list[tuple]:
        """One country row per person: each group gets its share; within a group the most frequent
        countries are sure to appear, then the rest follow the weights (a long tail of countries)."""
        rows = []
        group_counts = allocate(self.count, {index: share for index, (_, share) in enumerate(ORIGIN_GROUPS)})
        for index, (countries, _) in enumerate(ORIGIN_GROUPS):
            count = group_counts[index]
            if not count:
                continue
            weights = [country[1] for country in countries]
            distinct = min(len(countries), math.ceil(count * 0.4))
            chosen = weighted_sample(self.rng, countries, weights, distinct)
            chosen += self.rng.choices(countries, weights=weights, k=count - distinct)
            rows.extend(chosen)
        self.rng.shuffle(rows)
        return rows

    def name(self, pool: str, sex: str) -> tuple[str, str]:
        female = sex == Sex.FEMALE or (sex == Sex.OTHER and self.rng.random() < 0.5)
        if pool.startswith("faker:"):
            fake = self.faker(pool.removeprefix("faker:"))
            first = fake.first_name_female() if female else fake.first_name_male()
            return first, fake.last_name()
        males, females, lasts = NAME_POOLS[pool]
        first = self.rng.choice(females if female else males)
        last = self.rng.choice(lasts)
        if pool == "slavic" and female and last.endswith(("ov", "ev", "in")):
            last += "a"
        return first, last

    def number_for(self, birth_date: dt.date, sex: str) -> str | None:
        """A valid NN (about 70 % of people; one in five of them a BIS number), unique in the database."""
        if self.rng.random() >= 0.7:
            return None
        if sex == Sex.OTHER:
            offset, parity = 20, None  # BIS, sex unknown
        else:
            offset = 40 if self.rng.random() < 0.2 else 0
            parity = 1 if sex == Sex.MALE else 0
        for _ in range(50):
            serial = self.rng.randint(1, 997)
            if parity is not None and serial % 2 != parity:
                serial += 1
            number = national_number(birth_date, serial, bis_offset=offset)
            if number in self.taken_numbers:
                continue
            checked = check_national_number(number)
            if checked.birth_date != birth_date or (parity is not None and checked.sex != sex):
                raise AssertionError(f"generated number {number} does not match {birth_date} {sex}")
            self.taken_numbers.add(number)
            return number
        return None

    def birth_date(self) -> dt.date:
        if self.rng.random() < 0.94:
            age = round(self.rng.triangular(18, 64, 30))
        else:
            age = self.rng.randint(65, 79)
        return self.anchor - dt.timedelta(days=age * 365 + self.rng.randint(0, 364))

    def languages_for(self, codes: list[str]) -> list[Language]:
        main, *others = codes
        spoken = [main]
        spoken += [code for code in others if self.rng.random() < 0.5]
        if main != "fr" and self.rng.random() < 0.35:
            spoken.append("fr")
        if self.rng.random() < 0.15:
            spoken.append("en")
        result = [self.languages[code] for code in dict.fromkeys(spoken) if code in self.languages]
        return result or [self.languages["en"]]

    def person(self, country: tuple, office: Office) -> tuple[Person, list[Language]]:
        rng = self.rng
        code, _, pool, language_codes = country
        sex = pick(rng, [(Sex.MALE, 53), (Sex.FEMALE, 46), (Sex.OTHER, 1)])
        first_name, last_name = self.name(pool, sex)
        birth_date = self.birth_date()
        languages = self.languages_for(language_codes)
        main_language = languages[0]
        interpreter = main_language.code != "fr" and rng.random() < 0.42
        # An office may have lost its communes in the admin: then the address stays blank.
        communes = self.communes.get(office.slug) or [None]
        weights = [5 if c and c.name == office.name else 1 for c in communes]  # mostly the office's town
        commune = rng.choices(communes, weights=weights)[0]
        registration = self.anchor - dt.timedelta(days=rng.randint(14, 3 * 365))
        card_choices = CARDS_EU if code in EU_CODES else CARDS_NON_EU
        card = "" if code == "BE" else pick(rng, card_choices)
        ordered = min(registration + dt.timedelta(days=rng.randint(-30, 60)), self.anchor) if card else None
        referral = pick(rng, [(Referral.COMMUNE, 45), (Referral.PARTNER, 30), (Referral.SELF, 25)])
        detail = {
            Referral.COMMUNE: f"Service population de {commune.name}" if commune else "Service population",
            Referral.PARTNER: rng.choice(PARTNERS),
        }.get(referral, "")
        born_elsewhere = code in OTHER_BIRTH_COUNTRIES and (code in ("BE", "XX") or rng.random() < 0.2)
        country_of_birth = (
            rng.choice(OTHER_BIRTH_COUNTRIES[code]) if born_elsewhere else ("" if code == "XX" else code)
        )
        person = Person(
            first_name=first_name,
            last_name=last_name,
            birth_date=birth_date,
            sex=sex,
            national_number=self.number_for(birth_date, sex),
            nationality=code,
            country_of_birth=country_of_birth,
            interpreter_needed=interpreter,
            interpreter_language=main_language if interpreter else None,
            phone=self.phone() if rng.random() < 0.85 else "",
            email=self.email(first_name, last_name) if rng.random() < 0.4 else "",
            street=f"{pick(rng, STREET_KINDS)} {rng.choice(STREETS)}",
            house_number=str(rng.randint(1, 180)) + (f"/{rng.randint(1, 12)}" if rng.random() < 0.2 else ""),
            postal_code=commune.main_postal_code if commune else "",
            locality=commune.name if commune else "",
            commune=commune,
            arrival_date=registration - dt.timedelta(days=rng.randint(0, 300)),
            registration_date=registration,
            residence_card=card,
            residence_ordered_on=ordered,
            residence_valid_until=ordered + dt.timedelta(days=CARD_VALIDITY_DAYS[card])
            if ordered and card in CARD_VALIDITY_DAYS
            else None,
            household_size=pick(rng, [(1, 35), (2, 20), (3, 15), (4, 15), (5, 10), (6, 5)]),
            office=office,
            referral=referral,
            referral_detail=detail,
            file_opened_on=min(registration + dt.timedelta(days=rng.randint(7, 120)), self.anchor),
            is_active=rng.random() < 0.92,
        )
        if person.national_number:
            person.number_kind = check_national_number(person.national_number).kind
        person.search_text = person_search_text(first_name, last_name)
        return person, languages

    def phone(self) -> str:
        rng = self.rng
        return f"0{rng.choice(MOBILE_PREFIXES)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"

    def email(self, first_name: str, last_name: str) -> str:
        return f"{ascii_slug(first_name)}.{ascii_slug(last_name)}{self.rng.randint(1, 99)}@example.org"

    def people(self) -> list[tuple[Person, list[Language]]]:
        office_counts = allocate(self.count, OFFICE_SHARES)
        offices = [self.offices[slug] for slug, count in office_counts.items() for _ in range(count)]
        self.rng.shuffle(offices)
        return [
            self.person(country, office)
            for country, office in zip(self.nationalities(), offices, strict=True)
        ]

    # Appointments

    def request_types_for(self) -> list[RequestType]:
        k = pick(self.rng, [(1, 60), (2, 30), (3, 10)])
        weights = [REQUEST_TYPE_WEIGHTS.get(rt.code, 3) for rt in self.request_types]
        return weighted_sample(self.rng, self.request_types, weights, k)

    def book(self, counsellor: User, days: list[dt.date]) -> tuple[dt.date, int, int] | None:
        """A free slot for the counsellor on one of ``days``: (day, first quarter, quarters)."""
        for _ in range(20):
            day = self.rng.choice(days)
            quarters = pick(self.rng, [(2, 55), (3, 20), (4, 20), (6, 5)])
            start = self.rng.randrange(0, QUARTERS_PER_DAY - quarters + 1, 2)
            busy = self.busy.setdefault((counsellor.pk, day), set())
            wanted = set(range(start, start + quarters))
            if not busy & wanted:
                busy |= wanted
                self.booked[counsellor.pk, day] = self.booked.get((counsellor.pk, day), 0) + 1
                return day, start, quarters
        return None

    def appointment(self, person: Person, slot: tuple[dt.date, int, int], counsellor: User):
        rng = self.rng
        day, start, quarters = slot
        starts_at = dt.datetime.combine(day, DAY_START, tzinfo=BRUSSELS) + dt.timedelta(minutes=15 * start)
        request_types = self.request_types_for()
        esf = None
        if self.esf_types and rng.random() < 0.15:
            esf = rng.choice(self.esf_types)
            isp = next((rt for rt in self.request_types if rt.code == "emploi-isp"), None)
            if isp and isp not in request_types:
                request_types = [*request_types[:2], isp]
        mode = pick(
            rng,
            [
                (AppointmentMode.IN_PERSON, 80),
                (AppointmentMode.PHONE, 12),
                (AppointmentMode.VIDEO, 4),
                (AppointmentMode.EMAIL, 4),
            ],
        )
        interpreter = (
            person.interpreter_language
            if person.interpreter_needed and mode != AppointmentMode.EMAIL
            else None
        )
        past = starts_at < self.now
        notes = (
            " ".join(rng.choice(NOTES.get(rt.code, NOTES["autre"])) for rt in request_types) if past else ""
        )
        appointment = Appointment(
            person=person,
            starts_at=starts_at,
            duration_minutes=15 * quarters,
            office=person.office,
            mode=mode,
            counsellor=counsellor,
            interpreter_language=interpreter,
            interpreter_service=pick(rng, [(InterpreterService.SETIS, 85), (InterpreterService.OTHER, 15)])
            if interpreter
            else "",
            esf_action_type=esf,
            notes=notes,
            confidential_notes=rng.choice(CONFIDENTIAL_NOTES) if past and rng.random() < 0.08 else "",
        )
        return appointment, request_types

    def person_days(self, person: Person) -> list[dt.date]:
        days = [day for day in self.days if day >= person.file_opened_on]
        return days or self.days

    def appointments(self, people: list[Person]) -> list[tuple[Appointment, list[RequestType]]]:
        result = []
        for person in people:
            counsellors = self.counsellors[person.office_id]
            days = self.person_days(person)
            for _ in range(self.rng.choices(APPOINTMENTS_PER_PERSON, weights=APPOINTMENTS_WEIGHTS)[0]):
                counsellor = self.rng.choice(counsellors)
                slot = self.book(counsellor, days)
                if slot:
                    result.append(self.appointment(person, slot, counsellor))
        result += self.demo_week(people)
        return result

    def demo_week(self, people: list[Person]) -> list[tuple[Appointment, list[RequestType]]]:
        """Make sure the demo counsellor's day and week are not empty: every working day of this week,
        and the next working day when today is not one, has at least three appointments (four today)."""
        monday = self.today - dt.timedelta(days=self.today.weekday())
        week = working_days(monday, monday + dt.timedelta(days=4))
        following = working_days(self.today, self.today + dt.timedelta(days=10))[:1]
        offices = {office.pk for office in self.demo_counsellor.offices.all()}
        candidates = [p for p in people if p.office_id in offices and p.is_active]
        result = []
        if not candidates:
            return result
        for day in dict.fromkeys([*week, *following]):
            wanted = 4 if day == self.today else 3
            already = self.booked.get((self.demo_counsellor.pk, day), 0)
            followed = [p for p in candidates if p.file_opened_on <= day] or candidates
            for _ in range(max(0, wanted - already)):
                slot = self.book(self.demo_counsellor, [day])
                if slot:
                    result.append(self.appointment(self.rng.choice(followed), slot, self.demo_counsellor))
        return result

    # Writing

    @transaction.atomic
    def write(self) -> tuple[int, int, int]:
        built = self.people()
        people = Person.objects.bulk_create([person for person, _ in built], batch_size=500)
        Through = Person.languages.through
        Through.objects.bulk_create(
            [
                Through(person_id=person.pk, language_id=language.pk)
                for person, (_, langs) in zip(people, built, strict=True)
                for language in langs
            ],
            batch_size=2000,
        )
        booked = self.appointments(people)
        appointments = Appointment.objects.bulk_create(
            [appointment for appointment, _ in booked], batch_size=500
        )
        Link = Appointment.request_types.through
        Link.objects.bulk_create(
            [
                Link(appointment_id=appointment.pk, requesttype_id=request_type.pk)
                for appointment, (_, types) in zip(appointments, booked, strict=True)
                for request_type in types
            ],
            batch_size=2000,
        )
        nationalities = len({person.nationality.code for person in people})
        return len(people), len(appointments), nationalities


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load (PostgreSQL and SQLite both know ANALYZE)."""
    tables = [
        Person._meta.db_table,
        Appointment._meta.db_table,
        Appointment.request_types.through._meta.db_table,
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def run_demo_extensions(*, seed: int, today: dt.date, staff: dict[str, User]) -> list[str]:
    """Let the apps installed after this one add their part of the demo year.

    An app contributes with a ``demo.py`` module defining ``extend_demo(*, seed, today, staff) -> str``
    (a line for the summary). Found through the app registry, so that this app imports none of them.
    """
    lines = []
    names = [config.name for config in django_apps.get_app_configs()]
    for name in names[names.index("accompagnement") + 1 :]:
        try:
            module = importlib.import_module(f"{name}.demo")
        except ModuleNotFoundError:
            continue
        if hasattr(module, "extend_demo"):
            lines.append(module.extend_demo(seed=seed, today=today, staff=staff))
    return lines


def load_demo(
    *, people: int = 1000, seed: int = 2026, year: int | None = None, reset: bool = False
) -> DemoReport:
    """Create the demo staff and, unless demo data is already there, a demo year.

    Returns what was done and the accounts to print (each with a fresh recovery code). With ``reset``,
    the demo people and their appointments are deleted first. Raises ``ProtectedError`` if a demo
    person cannot be deleted.
    """
    started = time.monotonic()
    today = timezone.localdate()
    year = year or today.year
    with transaction.atomic():
        staff = ensure_staff()
        if reset:
            delete_demo_data()
        created = not demo_data_exists()
        report = DemoReport(created=created)
        if created:
            generator = DemoYear(people=people, seed=seed, year=year, staff=staff, today=today)
            report.people, report.appointments, report.nationalities = generator.write()
            report.extensions = run_demo_extensions(seed=seed, today=today, staff=staff)
        report.accounts = printed_accounts(staff)
    if created:
        analyze()
    report.seconds = time.monotonic() - started
    return report
