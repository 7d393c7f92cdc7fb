"""Name pools and helpers shared by the demo and the synthetic data generator."""
import datetime as dt
import random

from oneplan.core.national_id import bsn_check_digit

GIVEN = [
    "Anna", "Sanne", "Fatima", "Mohamed", "Daan", "Lucas", "Emma", "Noah", "Sem", "Julia",
    "Yusuf", "Aylin", "Mila", "Tess", "Bram", "Priya", "Kofi", "Ama", "Wei", "Mei", "Olena",
    "Dmytro", "Zeynep", "Emre", "Sofia", "Luca", "Jayden", "Shanice", "Rachid", "Nora",
    "Ibrahim", "Amira", "Lars", "Femke", "Jan", "Marieke", "Kees", "Ingrid", "Thijs", "Lotte",
    "Gabriel", "Maria", "José", "Inês", "Adriana", "Tomasz", "Agnieszka", "Ravi", "Anaya", "Omar",
]
FAMILY = [
    "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos",
    "Vos", "El Amrani", "Yılmaz", "Kaya", "Öztürk", "Benali", "Boateng", "Mensah", "Chen",
    "Nguyen", "Kowalski", "Shevchenko", "Kumar", "Singh", "da Silva", "Santos", "Martina",
    "Doest", "van Dijk", "van den Berg", "Hendriks", "Dekker", "Peters", "Koster", "Hoekstra",
    "Ait Haddou", "Rahimi", "Haddad", "Osei", "Pereira", "Brouwer",
]
NETWORK = ["Oma Joke", "Opa Henk", "Tante Ria", "Buurvrouw Els", "Buurman Ahmed", "Vriendin Sara",
           "Maatje Peter", "Moskee Al-Fath", "Parochie St. Jan", "Voetbalclub VVO", "Tante Nadia",
           "Oom Karim", "Vriend Jeroen", "Buurtmoeder Hatice", "Schuldmaatje Wim"]


def valid_bsn(rng: random.Random) -> str:
    """A random nine-digit number that passes the BSN 11-test."""
    while True:
        head = str(rng.randint(1, 6)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
        last = bsn_check_digit(head)
        if last is not None:
            return f"{head}{last}"


def birth_date(rng: random.Random, min_age: int, max_age: int, today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    days = rng.randint(min_age * 365 + 1, max_age * 365 + 300)
    return today - dt.timedelta(days=days)
