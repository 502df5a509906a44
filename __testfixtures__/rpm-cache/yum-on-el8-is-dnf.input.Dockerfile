FROM oraclelinux:8
RUN yum -y install unzip
