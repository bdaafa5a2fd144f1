"""What the contact guard reads in a message, written down once.

- ``names``: the outside services (apps to talk on, ways to pay, other marketplaces, e-mail
  providers) with their spellings in each script, nicknames and hosts;
- ``phrases``: the phrase families of solicitation.py, built on those names;
- ``cues``: the kinds of words the solicitation model reads (model.py), built on them too.

Like the rest of the guard, it imports nothing from Django.
"""
