FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
ARG TARGETARCH
WORKDIR /source
COPY *.csproj .
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet restore -a $TARGETARCH
COPY . .
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet publish -a $TARGETARCH -o /app

FROM mcr.microsoft.com/dotnet/runtime:8.0
COPY --from=build /app /app
ENTRYPOINT ["/app/app"]
