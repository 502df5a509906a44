FROM debian:12
WORKDIR /app
COPY . .
RUN dpkg -i ./tools/helper.deb
RUN pip install -r requirements.txt
