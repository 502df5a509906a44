module example.com/app

go 1.23

replace example.com/lib => ./lib

replace (
	example.com/gen v0.1.0 => ./tools/gen
	example.com/other => example.com/fork v1.2.0
)
