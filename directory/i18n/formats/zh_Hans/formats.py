# Dates come from Django's module ("2020年11月12日", "2020年11月").
# Django groups Chinese numbers by ten thousand with no separator ("26000");
# mainland and Hong Kong publications, and the counts the views format, write
# thousands with commas: "26,000".
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
# Django writes "04月21日"; Chinese writes the month unpadded: "4月21日".
MONTH_DAY_FORMAT = "n月j日"
