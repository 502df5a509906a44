FROM mcr.microsoft.com/dotnet/sdk:8.0
ARG RESTORE_FLAGS
COPY . .
RUN dotnet restore $RESTORE_FLAGS
