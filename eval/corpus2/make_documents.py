"""Write the binary documents of the second evaluation corpus (a .docx and a .pdf).

The .txt and .md documents are written by hand; these two are generated so the
files can be rebuilt. Run from the repository root:

    .venv/bin/python eval/corpus2/make_documents.py

Needs python-docx and fpdf2 (a dev dependency) and the DejaVu fonts.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent / "documents"
FONTS = Path("/usr/share/fonts/truetype/dejavu")

BESLUITENLIJST = "besluitenlijst_stuurgroep_jeugd_2024-09-12.docx"
BRIEF = "raadsinformatiebrief_regionaal_werkbedrijf_2024.pdf"


def write_besluitenlijst(path: Path) -> None:
    """Minutes in Word: heading styles for domain and items, numbered list styles, a table."""
    import docx

    d = docx.Document()
    d.add_paragraph("BESLUITENLIJST")
    d.add_paragraph("Stuurgroep jeugd Gooi en Vechtstreek 12 september 2024")
    d.add_paragraph("Aanwezig Jeroen Bosman (Huizen, Jeugd), Mirte Jansen (Hilversum, Jeugd), "
                    "Koen de Wit (Gooise Meren, Onderwijs)")
    d.add_paragraph("Afwezig Ilse Prins (Eemnes)")
    d.add_paragraph("Contactpersoon Daan Hofman")
    d.add_paragraph("Kenmerk 24.0007788")
    d.add_heading("JEUGD EN ONDERWIJS", level=1)
    d.add_heading("1. Vaststellen agenda en besluitenlijst 20 juni 2024", level=2)
    d.add_paragraph("De agenda wordt vastgesteld. De besluitenlijst van 20 juni 2024 wordt vastgesteld.")
    d.add_heading("2. Inkoop jeugdhulp 2026", level=2)
    d.add_paragraph("De huidige contracten voor specialistische jeugdhulp lopen af op 31 december 2025. "
                    "De projectgroep heeft drie scenario's uitgewerkt; scenario B (een open house met "
                    "resultaatfinanciering) scoort het best op kwaliteit en beheersbaarheid.")
    d.add_paragraph("Besluiten:")
    for text in ("De stuurgroep kiest voor scenario B, een open house met resultaatfinanciering.",
                 "De looptijd wordt vier jaar met een optie op twee keer verlenging met een jaar.",
                 "Het inkoopdocument wordt in december 2024 ter vaststelling voorgelegd."):
        d.add_paragraph(text, style="List Number")
    d.add_heading("Financiën", level=3)
    d.add_paragraph("De voorbereiding van de inkoop kost € 185.000, te dekken uit het regionale "
                    "transformatiebudget jeugd.")
    d.add_heading("3. Jeugdbescherming", level=2)
    d.add_paragraph("De Gecertificeerde Instelling meldt dat 62 kinderen op een wachtlijst staan voor een "
                    "jeugdbeschermer. De stuurgroep neemt kennis van de wachtlijstcijfers.")
    d.add_paragraph("Afgesproken is dat de GI elke maand de wachtlijst rapporteert aan de regio.")
    d.add_heading("4. Onderwijszorgarrangementen", level=2)
    d.add_paragraph("Dit agendapunt wordt doorgeschoven naar de stuurgroep van 7 november 2024.")
    d.add_heading("Toezeggingen", level=1)
    rows = [("Nr.", "Toezegging", "Door", "Termijn"),
            ("T-07", "Notitie over uitstroom uit verblijf", "Mirte Jansen", "november 2024"),
            ("T-08", "Wachtlijstcijfers per maand", "Gecertificeerde Instelling", "maandelijks")]
    table = d.add_table(rows=len(rows), cols=4)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.save(str(path))


BRIEF_TITLE = "Raadsinformatiebrief Regionaal Werkbedrijf Gooi en Vechtstreek"
BRIEF_BLOCKS = [
    ("p", "Raadsinformatiebrief"),
    ("p", "Onderwerp: voortgang Regionaal Werkbedrijf Gooi en Vechtstreek 2024"),
    ("p", "Datum: 8 oktober 2024"),
    ("p", "Geachte leden van de gemeenteraad,"),
    ("p", "Met deze brief informeren wij u over de voortgang van het Regionaal Werkbedrijf en de "
          "banenafspraak in de arbeidsmarktregio Gooi en Vechtstreek."),
    ("h", "Banenafspraak"),
    ("p", "In 2023 zijn in de regio 214 extra banen gerealiseerd voor mensen met een arbeidsbeperking. "
          "De doelstelling voor 2023 was 260 banen. Het tekort ontstaat vooral bij de overheid als "
          "werkgever: gemeenten en de regio vervulden samen 31 van de 75 beoogde banen. De marktsector "
          "deed het beter: daar ontstonden 183 banen, tegen een doel van 185."),
    ("h", "Werkgeversservicepunt"),
    ("p", "Het Werkgeversservicepunt Gooi en Vechtstreek (WSP) heeft in 2023 1.150 werkgevers "
          "gesproken. Daarbij lag de nadruk op de zorg, de techniek en de logistiek, sectoren "
          "waar de krapte op de arbeidsmarkt het grootst is. Het WSP werkt hiervoor samen met het UWV, "
          "het Tergooi MC, de woningcorporaties en het MBO College Hilversum. In het najaar start een "
          "leerwerktraject voor zorgassistenten met twintig plaatsen, waarvan de helft bestemd is voor "
          "mensen met een uitkering. Werkgevers die een kandidaat uit de doelgroep in dienst nemen, "
          "krijgen begeleiding van een jobcoach gedurende het eerste jaar. Het WSP houdt daarnaast "
          "spreekuren voor ondernemers in alle zes gemeenten, zodat werkgevers dicht bij huis "
          "terechtkunnen met vragen over loonkostensubsidie, proefplaatsingen en no-riskpolissen."),
    ("h", "Financiën"),
    ("p", "De regionale bijdrage aan het Werkgeversservicepunt bedraagt in 2024 € 1,35 miljoen. "
          "Voor 2025 is een eenmalige verhoging van € 120.000 nodig voor het leerwerktraject "
          "zorgassistenten; het Regionaal Werkbedrijf vraagt de colleges om deze verhoging op te "
          "nemen in de begroting van 2025."),
    ("h", "Vervolg"),
    ("p", "In het voorjaar van 2025 ontvangt u de jaarrapportage over 2024 met de cijfers per gemeente."),
    ("p", "Met vriendelijke groet,"),
    ("p", "Linda Verhoef, voorzitter Regionaal Werkbedrijf Gooi en Vechtstreek"),
]


def write_brief(path: Path) -> None:
    """A letter as PDF: a two-line running header and 'Pagina N van M' on every page, text flowing over pages."""
    from fpdf import FPDF

    class Letter(FPDF):
        def header(self) -> None:
            self.set_font("dejavu", size=8)
            self.cell(0, 4, "Regio Gooi en Vechtstreek", new_x="LMARGIN", new_y="NEXT")
            self.cell(0, 4, "Kenmerk 24.0009102", new_x="LMARGIN", new_y="NEXT")
            self.ln(6)

        def footer(self) -> None:
            self.set_y(-14)
            self.set_font("dejavu", size=8)
            self.cell(0, 4, f"Pagina {self.page_no()} van {{nb}}", align="R")

    pdf = Letter(format="A5")  # a small page, so the letter runs over pages
    pdf.add_font("dejavu", fname=str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("dejavu", style="B", fname=str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    for kind, text in BRIEF_BLOCKS:
        pdf.set_font("dejavu", style="B" if kind == "h" else "", size=10)
        pdf.multi_cell(0, 5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(5)
    pdf.output(str(path))


if __name__ == "__main__":
    write_besluitenlijst(HERE / BESLUITENLIJST)
    write_brief(HERE / BRIEF)
    print(f"wrote {BESLUITENLIJST} and {BRIEF} in {HERE}")
