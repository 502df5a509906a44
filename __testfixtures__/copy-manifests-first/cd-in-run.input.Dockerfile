FROM python:3.12
COPY . /srv
RUN cd /srv/backend && pip install -r requirements.txt
CMD ["python", "/srv/backend/app.py"]
