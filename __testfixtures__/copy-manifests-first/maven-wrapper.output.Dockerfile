FROM eclipse-temurin:21
WORKDIR /build
COPY pom.xml mvnw ./
COPY .mvn ./.mvn/
RUN ./mvnw -B dependency:go-offline
COPY . .
RUN ./mvnw -B package
