FROM mcr.microsoft.com/dotnet/sdk:6.0
WORKDIR C:\\app
COPY . .
RUN dotnet build -c Release
ENTRYPOINT ["c:\\app\\bin\\app.exe"]
