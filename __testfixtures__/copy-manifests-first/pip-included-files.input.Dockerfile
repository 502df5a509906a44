FROM python:3.12
WORKDIR /srv
COPY --chown=app:app . .
RUN pip install -r requirements/prod.txt -c constraints.txt
CMD ["gunicorn", "app:app"]
