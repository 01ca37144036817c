"""Reading: stages 1 and 2. Files, directories, JSON Lines and standard input become Articles
(`read`: encodings, front matter, HTML, limits), and an article's text becomes a spaCy Doc with
sentences and entities (`nlp`: en_core_web_sm behind a domain EntityRuler built from the
gazetteer), which extraction reads.
"""
