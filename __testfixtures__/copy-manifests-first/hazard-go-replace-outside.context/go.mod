module example.com/app

replace example.com/shared => ../shared
