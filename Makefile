# Quanmin: `make run` and `make test` are all a fresh clone needs (Python 3.11, Node, make).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Two workers: the machines have two cores; race tests start their own threads and processes.
PYTEST_ARGS ?= -n 2

.PHONY: setup run test bench lint messages demo clean audit mutants scale-test

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=...)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The fitness-circle analysis's compiled loops, compiled once into Numba's cache (__pycache__).
$(VENV)/.kernels: quanmin/analytics/circle/kernels.py $(VENV)/.installed
	$(PY) -m quanmin.analytics.circle.warm
	touch $@

# The compiled catalogue (django.mo) is committed: a fresh machine may have no GNU gettext.
setup: $(VENV)/.installed node_modules/.installed $(VENV)/.kernels

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --if-empty --url http://$(HOST):$(PORT)
	@# The background worker (fitness-circle runs) and the periodic upkeep (holds, inspection rounds,
	@# overdue reports: `manage.py tick`) live as long as the server.
	$(PY) manage.py db_worker --interval 1 >/dev/null 2>&1 & worker=$$!; \
	  $(PY) manage.py tick --every 300 >/dev/null 2>&1 & ticker=$$!; \
	  trap 'kill $$worker $$ticker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

demo: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

test: setup
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Several nodes on this machine (issue 24): PostgreSQL at 127.0.0.1:5432 (a fresh database), Redis (started
# when none answers), two gunicorn nodes, two RQ workers, two schedulers; storms, kills, one JSON line
# of counts (tests/scale.py). Minutes on a loaded machine: not part of `make test` nor of .ci/run.
scale-test: setup
	$(PY) -m tests.scale

bench: setup
	@for b in bench/[!_]*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

# ruff, then the layers and no-cycles contracts of pyproject.toml (DESIGN.md, "Layers").
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# Known vulnerabilities in the installed Python packages (pip-audit, in a venv of its own so that it
# adds nothing to the project's) and in the npm lockfile (npm audit). Both ask an online database
# (PyPI's JSON API, the npm registry's advisories): where it cannot be reached the packages are
# reported as not audited and the target fails, never a silent pass.
AUDIT_VENV := .venv-audit
audit:
	test -x $(PY) || { echo "make setup first"; exit 1; }
	test -x $(AUDIT_VENV)/bin/pip-audit || { $(PYTHON) -m venv $(AUDIT_VENV) && $(AUDIT_VENV)/bin/pip install --quiet pip-audit==2.10.1; }
	PIPAPI_PYTHON_LOCATION=$(PY) $(AUDIT_VENV)/bin/pip-audit --strict --vulnerability-service pypi --progress-spinner off
	npm audit --omit=dev

# Mutation testing of the rule modules (tests/mutants.py says how to read it); tens of minutes, not
# part of `make test`. MODULES=quanmin/booking/services.py narrows it; SAMPLE=60 runs 60 mutants per
# module drawn at random (the score then comes with its 95 % interval).
mutants: setup
	$(PY) -m tests.mutants $(if $(SAMPLE),--sample $(SAMPLE)) $(MODULES)

# Needs GNU gettext (apt-get install gettext): extract new strings, then translate them in the .po.
messages: $(VENV)/.installed
	$(PY) manage.py makemessages --locale zh_Hans --no-obsolete --ignore .venv --ignore node_modules --ignore tests --ignore bench
	$(PY) -c "import polib; polib.pofile('locale/zh_Hans/LC_MESSAGES/django.po').save_as_mofile('locale/zh_Hans/LC_MESSAGES/django.mo')"

clean:
	rm -rf $(VENV) $(AUDIT_VENV) node_modules staticfiles db.sqlite3*
