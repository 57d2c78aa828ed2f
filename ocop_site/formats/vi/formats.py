"""Vietnamese numbers and dates, in one place for every page, paper and export shown on
screen: 82,00 (comma decimal), 1.234 (dot thousands), 20/10/2026. Django's own Vietnamese
formats write short dates 20-10-2026 and group no thousands; these replace them
(settings.FORMAT_MODULE_PATH). Templates use `|date:"SHORT_DATE_FORMAT"`, `|floatformat`
and `|intcomma`, Python code `django.utils.formats`."""

DATE_FORMAT = r"\N\gà\y d \t\há\n\g n \nă\m Y"
DATETIME_FORMAT = r"H:i \N\gà\y d \t\há\n\g n \nă\m Y"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
# The first is what a form writes back into a field (<input type="date"> needs ISO).
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1
