FROM maven:3.9-eclipse-temurin-21
COPY . .
RUN mvn -f lib/pom.xml install
RUN mvn -f app/pom.xml package
