"""Officials' bulk import of existing producers, products and certificates (CSV or XLSX).

Plain functions, no HTTP; imports.views is the thin web layer.

* columns  – the file format: column keys, the template's Vietnamese headers, aliases
* reading  – bytes → header and rows of text, or FileRefused with a sentence to act on
* xlsx     – an XLSX's rows, bounded by what it declares before anything is iterated
* refusal  – FileRefused itself
* access   – who may import and in which provinces (ImportScope)
* validation – rows → Plan: create / update / unchanged per row, every reason of a bad row
* preview  – the upload step: read, refuse a file already imported, validate
* pending  – previewed rows kept in the session until confirmed
* apply    – the confirm step: re-validate and write everything in one transaction
* template – the CSV and XLSX templates, generated from the column list
"""
