FROM oraclelinux:8
RUN yum -y install unzip && yum clean all && rm -rf /var/cache/dnf
