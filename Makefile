# Quick start: `make run` (app on SQLite with the plan and demo content) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app komoro_engage
PO := komoro_engage/translations/en/LC_MESSAGES/messages.po
# やさしい日本語: the interface strings with an easy form (empty ones read as normal Japanese).
EASY_PO := komoro_engage/translations/ja_easy/LC_MESSAGES/messages.po
MO := $(PO:.po=.mo) $(EASY_PO:.po=.mo)

.PHONY: install run serve db seed demo test test-postgres lint translations translations-update bench bench-soak bench-text-map clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed translations

translations: $(MO)

$(MO): $(PO) $(EASY_PO) $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d komoro_engage/translations

# Developers: after adding strings, refresh the catalog and translate the new entries.
# Sorted by message, so the file reads the same whatever order the disk lists files in.
translations-update: install
	$(BIN)/pybabel extract -F babel.cfg -k _l --no-location --omit-header --sort-output -o messages.pot .
	$(BIN)/pybabel update -i messages.pot -d komoro_engage/translations --no-fuzzy-matching --ignore-obsolete
	rm -f messages.pot

db: install
	$(FLASK) db upgrade

seed: db
	$(FLASK) komoro seed

# A small demo set on first run only (skipped when proposals exist). The outbox is sent
# beside the server within a second or two: on SQLite the sender looks every second (one
# indexed read), on PostgreSQL a new mail wakes it at once. While KOMORO_MAIL_HOST is
# empty, mail is printed to the console.
run: seed
	$(FLASK) komoro demo --proposals 60 --seed 1 --if-empty
	$(FLASK) komoro map-texts
	$(FLASK) komoro send-mail --loop 1 & sender=$$!; trap 'kill $$sender 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

# Browser tests need /usr/bin/chromium (apt-get install chromium); without it they skip and say so.
test: install
	@command -v chromium >/dev/null || echo "make test: chromium not found: tests/browser will be SKIPPED (apt-get install -y chromium)"
	$(BIN)/pytest $(PYTEST_ARGS)

# ruff, then the import contract: the layers of komoro_engage (README, "Architecture").
lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# Not part of the tests: 1,000 residents' texts mapped into themes, timed (budget: 60 s).
bench-text-map: install
	$(BIN)/python -m bench --scenario text-map

# Not part of the tests: loads the app on 127.0.0.1 with wrk; BENCH_ARGS="--database postgresql" etc.
bench: install
	@command -v wrk >/dev/null || { echo "make bench: needs wrk (apt-get install -y wrk)"; exit 2; }
	$(BIN)/python -m bench $(BENCH_ARGS)

# 20 requests/s of signed-in reading, supporting and commenting through Debian's nginx with the
# shipped site, on a fresh PostgreSQL database (127.0.0.1:5432), for 10 minutes; fails on any
# error. Writes bench/results/soak.{json,md}. BENCH_ARGS="--minutes 1" for a short run.
bench-soak: install
	$(BIN)/python -m bench --scenario soak --database postgresql --proposals 1000 --minutes 10 $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache
