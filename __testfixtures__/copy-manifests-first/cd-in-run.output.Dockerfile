FROM python:3.12
COPY backend/requirements.txt /srv/backend/
RUN cd /srv/backend && pip install -r requirements.txt
COPY . /srv
CMD ["python", "/srv/backend/app.py"]
