"""Briefing decks (issue #19): a storyboard of views to a PowerPoint deck, a multi-page PDF
and an animated GIF/MP4, every page saying what it shows (filters in words, sources).

Modules: storyboard (the steps, JSON and link I/O, named frames), pages (what a slide
shows), render (a page's map with annotations), pptx_deck, pdf_deck, animation.
See docs/briefing.md, section "Decks".
"""
