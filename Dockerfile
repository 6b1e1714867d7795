# PushServer container image: docker build -t pushserver . && docker run -p 2024:2024 pushserver
# The push API stays on the container's loopback unless told otherwise; to reach it from outside, publish 9191 and
# set both -e PUSHSERVER_PushApi__Bind=0.0.0.0 and -e PUSHSERVER_PushApi__Token=<secret> (start-up refuses one
# without the other).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# The build embeds the socket.io client bundles from npm (src/PushServer/ClientLibrary).
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# ReadyToRun for the machine's own architecture (--use-current-runtime, so the same line builds amd64 and arm64
# images): the server's code is compiled ahead of time, so a container answers its first pushes at close to its
# warmed-up speed instead of JIT-compiling them (docs/BENCHMARKS.md, "From the first second"). The NuGet cache
# mount keeps the runtime packs ReadyToRun compiles against between builds.
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet publish src/PushServer/PushServer.csproj -c Release -o /app --no-self-contained --use-current-runtime \
      -p:PublishReadyToRun=true

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# Inside a container the Socket.IO port must listen on every interface to be reachable at all.
ENV PUSHSERVER_Server__Bind=0.0.0.0
EXPOSE 2024 9191
# The image's unprivileged user; the server needs no privilege (ports above 1024).
USER app
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 CMD ["dotnet", "/app/pushserver.dll", "healthcheck"]
# The server drains on SIGTERM within Shutdown:DrainSeconds (8 s), inside docker stop's default 10 s.
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "/app/pushserver.dll"]
CMD ["start"]
