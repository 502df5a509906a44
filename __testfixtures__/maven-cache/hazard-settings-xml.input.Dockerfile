FROM maven:3.9-eclipse-temurin-21
COPY settings.xml /root/.m2/settings.xml
COPY . .
RUN mvn -B package
