FROM maven:3.9-eclipse-temurin-21 AS deps
COPY pom.xml .
RUN mvn -B dependency:go-offline

FROM maven:3.9-eclipse-temurin-21
COPY --from=deps /root/.m2 /root/.m2
COPY . .
RUN mvn -B -o package
