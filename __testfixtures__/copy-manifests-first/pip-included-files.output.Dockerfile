FROM python:3.12
WORKDIR /srv
COPY --chown=app:app requirements/prod.txt requirements/base.txt ./requirements/
COPY --chown=app:app constraints.txt .
RUN pip install -r requirements/prod.txt -c constraints.txt
COPY --chown=app:app . .
CMD ["gunicorn", "app:app"]
