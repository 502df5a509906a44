FROM eclipse-temurin:21-jdk
ENV MAVEN_OPTS="-Xmx1g -Dmaven.repo.local=/cache/m2"
COPY . /src
WORKDIR /src
RUN --mount=type=cache,target=/cache/m2,sharing=locked \
    ./mvnw -B package
