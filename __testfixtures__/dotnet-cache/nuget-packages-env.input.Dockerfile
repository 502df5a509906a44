FROM mcr.microsoft.com/dotnet/sdk:8.0
ENV NUGET_PACKAGES=/nuget
COPY . .
RUN dotnet build -c Release
